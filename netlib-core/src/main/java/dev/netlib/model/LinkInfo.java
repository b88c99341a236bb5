package dev.netlib.model;

import dev.netlib.value.MacAddress;
import java.util.Optional;

/**
 * A link as the kernel reports it (RTM_NEWLINK in a dump or get).
 *
 * @param kind IFLA_INFO_KIND, null for devices without one (physical, loopback)
 * @param masterIndex IFLA_MASTER, 0 when none
 * @param masterName the master's name when it lives in the same namespace, else null
 * @param linkIndex IFLA_LINK: a veth's peer index or a macvlan's parent index, 0 when none
 * @param linkNetnsId IFLA_LINK_NETNSID: the namespace id (as seen from this namespace) of the
 *     namespace holding the peer/parent; -1 when it is the same namespace or unknown
 * @param details the kind-specific attributes the kernel reported, when netlib knows the kind
 * @param bridgePort the link's bridge port flags while it is a bridge's port, else null (also when the
 *     backend does not report them)
 */
public record LinkInfo(
        int index,
        String name,
        String kind,
        int mtu,
        int minMtu,
        int maxMtu,
        MacAddress mac,
        boolean adminUp,
        OperState operState,
        int masterIndex,
        String masterName,
        int linkIndex,
        int linkNetnsId,
        int group,
        int txQueueLength,
        Ipv6AddrGenMode addrGenMode,
        LinkKindSpec details,
        BridgePortInfo bridgePort) {

    /** The master's name, when it has one in the same namespace. */
    public Optional<String> master() {
        return Optional.ofNullable(masterName);
    }

    /** True for one end of a veth pair. */
    public boolean isVeth() {
        return "veth".equals(kind);
    }

    /**
     * What {@code ip link} prints as the name: {@code eth0@if7} for a veth whose peer is index 7.
     * A peer in another namespace may have the same index as this link (both are often 2 in fresh
     * namespaces); the kernel still reports IFLA_LINK with IFLA_LINK_NETNSID and ip prints {@code @if2}.
     */
    public String displayName() {
        return linkIndex != 0 && (linkIndex != index || linkNetnsId >= 0) ? name + "@if" + linkIndex : name;
    }
}
