package dev.netlib.fake;

import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.RouteInfo;
import java.util.List;
import java.util.Map;

/**
 * The whole state of a {@link FakeKernel} at one moment, as immutable values: two snapshots are
 * {@code equals} exactly when every namespace holds the same links, addresses, routes,
 * neighbours, FDB entries and sysctls. Tests use it to prove that a failed operation left the
 * kernel exactly as it found it.
 */
public record FakeSnapshot(List<NamespaceState> namespaces) {
    public FakeSnapshot {
        namespaces = List.copyOf(namespaces);
    }

    /** One namespace: name null for the root and anonymous namespaces. */
    public record NamespaceState(long inode, String name, List<LinkInfo> links, List<AddressInfo> addresses,
            List<RouteInfo> routes, List<NeighborInfo> neighbors, List<FdbInfo> fdb, Map<String, String> sysctls) {
        public NamespaceState {
            links = List.copyOf(links);
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
            neighbors = List.copyOf(neighbors);
            fdb = List.copyOf(fdb);
            sysctls = Map.copyOf(sysctls);
        }
    }

    /**
     * The state as text close to what {@code ip -br link}, {@code ip -br addr}, {@code ip route},
     * {@code ip neigh} and {@code bridge fdb} print per namespace: handy in assertion messages.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (NamespaceState ns : namespaces) {
            sb.append(ns.name() != null ? "netns " + ns.name() : "netns [" + ns.inode() + "]").append('\n');
            for (LinkInfo l : ns.links()) {
                sb.append(String.format("  %d: %-16s %-14s %s mtu %d%s%s%n", l.index(), l.displayName(), l.operState(),
                        l.kind() == null ? "" : l.kind(), l.mtu(), l.masterName() == null ? "" : " master " + l.masterName(),
                        l.adminUp() ? " UP" : ""));
            }
            for (AddressInfo a : ns.addresses()) {
                sb.append("  addr ").append(a.address()).append(" dev ").append(a.device()).append('\n');
            }
            for (RouteInfo r : ns.routes()) {
                sb.append("  route ").append(r.isDefault() ? "default" : r.destination().toString());
                if (r.gateway() != null) {
                    sb.append(" via ").append(dev.netlib.value.IpAddresses.format(r.gateway()));
                }
                sb.append(" dev ").append(r.device());
                if (r.table() != dev.netlib.model.RouteSpec.MAIN_TABLE) {
                    sb.append(" table ").append(r.table());
                }
                sb.append('\n');
            }
            for (NeighborInfo n : ns.neighbors()) {
                sb.append("  neigh ").append(dev.netlib.value.IpAddresses.format(n.address())).append(" lladdr ").append(n.mac())
                        .append(" dev ").append(n.device()).append('\n');
            }
            for (FdbInfo f : ns.fdb()) {
                sb.append("  fdb ").append(f.mac()).append(" dev ").append(f.device());
                if (f.destination() != null) {
                    sb.append(" dst ").append(dev.netlib.value.IpAddresses.format(f.destination()));
                }
                if (f.vni() != null) {
                    sb.append(" vni ").append(f.vni());
                }
                if (f.vlan() != 0) {
                    sb.append(" vlan ").append(f.vlan());
                }
                sb.append(f.self() ? " self" : "").append(f.master() ? " master" : "").append('\n');
            }
        }
        return sb.toString();
    }

    /** The state of the namespace with this iproute2 name, if there is one. */
    public java.util.Optional<NamespaceState> namespace(String name) {
        return namespaces.stream().filter(n -> name.equals(n.name())).findFirst();
    }
}
