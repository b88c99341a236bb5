package dev.netlib.fake;

import dev.netlib.model.BridgePortInfo;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.OperState;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.MacAddress;

/** One network device of the fake kernel: the state {@code ip -d link show} would print. */
final class FakeLink {
    int index;
    String name;
    /** IFLA_INFO_KIND; null for the loopback device, as the kernel reports it. */
    final String kind;
    int mtu;
    final int minMtu;
    final int maxMtu;
    /** The bridge took an MTU from the user (BROPT_MTU_SET_BY_USER): no more auto-adjusting to its ports. */
    boolean mtuSetByUser;
    MacAddress mac;
    /** The MAC was given by the user (NET_ADDR_SET): a bridge then keeps it instead of its lowest port MAC. */
    boolean macSetByUser;
    boolean adminUp;
    int masterIndex;
    int group;
    int txQueueLength = 1000;
    Ipv6AddrGenMode addrGenMode = Ipv6AddrGenMode.EUI64;
    /** Bridge port hairpin mode (IFLA_BRPORT_MODE); meaningful only while enslaved to a bridge. */
    boolean hairpin;
    /** Bridge port learning (IFLA_BRPORT_LEARNING); on for a new port, as new_nbp() sets BR_LEARNING. */
    boolean learning = true;
    /** A bridge port's BR_PROMISC: put in promiscuous mode by br_manage_promisc() ({@link FakeBridgePromisc}). */
    boolean bridgePromisc;
    /**
     * A bridge's br->default_pvid: 1 where the kernel has CONFIG_BRIDGE_VLAN_FILTERING (br_vlan_init()),
     * 0 for no VLAN group at all where it has not ({@link FakeBridgeFdb#vlanGroup}).
     */
    int defaultPvid;
    /**
     * References beyond the first to MACs of the device's unicast list (its own {@code self} FDB
     * entries), taken by a bridge syncing its static MACs to a port that is not promiscuous.
     */
    final java.util.Map<MacAddress, Integer> ucRefs = new java.util.HashMap<>();
    FakeNamespace ns;
    /** The other end of a veth, wherever it lives. */
    FakeLink peer;
    /** A macvlan's lower device, possibly in another namespace. */
    FakeLink parent;
    /** A vxlan's underlay device (IFLA_VXLAN_LINK); the vxlan dies with it. */
    FakeLink underlay;
    /** A vxlan over IPv6 (VXLAN_F_IPV6). */
    boolean vxlanIpv6;
    /** Kind attributes with the kernel's defaults filled in (what a dump reports). */
    LinkKindSpec details;
    /** IPv6 link-local address and fe80::/64 route were made (on the first carrier up). */
    boolean ipv6Configured;
    /**
     * The device has its IPv6 state (inet6_dev): not while its MTU is below IPV6_MIN_MTU (1280),
     * when it has no IPv6 address, route, neighbour or net.ipv6.conf.DEV key at all.
     */
    boolean hasIpv6 = true;
    /**
     * A vxlan's vxlan->net, the namespace of the request that made it (its UDP socket lives
     * there): reported as the link netns once the device is elsewhere.
     */
    FakeNamespace linkNet;
    /**
     * A bridge whose br_port_state_selection() has run (a port came or went, or its bridge id
     * changed): its carrier now follows its ports. Until then it keeps the carrier it was
     * allocated with (no STP) or has none (STP).
     */
    boolean portsSelected;
    /**
     * A linkwatch event that leaves the carrier as it was: br_stp_change_bridge_id() turns a
     * bridge's carrier off (its ports are not enabled yet) and enabling them turns it on again
     * within one request, so linkwatch recomputes the operstate all the same.
     */
    boolean linkwatchEvent;

    FakeLink(String kind, int mtu, int minMtu, int maxMtu) {
        this.kind = kind;
        this.mtu = mtu;
        this.minMtu = minMtu;
        this.maxMtu = maxMtu;
    }

    boolean isLoopback() {
        return kind == null;
    }

    boolean isBridge() {
        return "bridge".equals(kind);
    }

    boolean isVeth() {
        return "veth".equals(kind);
    }

    boolean isVxlan() {
        return "vxlan".equals(kind);
    }

    /**
     * A macvlan that is not in passthru mode: its ndo_fdb_add/ndo_fdb_del (macvlan_fdb_add/del)
     * take multicast addresses only ("Support unicast filter only on passthru devices").
     */
    boolean isMulticastOnlyMacvlan() {
        return details instanceof dev.netlib.model.MacvlanSpec m && m.mode() != dev.netlib.model.MacvlanMode.PASSTHRU;
    }

    /** netif_carrier_ok(): on from allocation until a driver turns it off. */
    boolean carrierOn = true;
    /**
     * A macvlan's copy of its lower device's carrier, as netif_stacked_transfer_operstate() last
     * made it: at creation and on the lower's NETDEV_UP, NETDEV_DOWN and NETDEV_CHANGE. Linkwatch
     * sends NETDEV_CHANGE for a carrier change only while the device is up (linkwatch_do_dev()), so
     * a bridge that is down and drops its carrier when it gets its first port leaves its macvlans
     * with the carrier they had (checked on 6.18: a macvlan made up on a never-opened bridge stays
     * UP when a port joins; one made after the port is LOWERLAYERDOWN; seeds 94, 134, 190).
     */
    boolean lowerCarrierSeen;
    /** The device's carrier or admin state changed in a way its stacked devices hear of. */
    boolean announce;
    /** The announcement is NETDEV_UP / NETDEV_DOWN, sent within the request, not linkwatch's NETDEV_CHANGE. */
    boolean adminAnnounce;
    /**
     * dev->operstate: IF_OPER_UNKNOWN from allocation, recomputed by linkwatch (rfc2863_policy)
     * only when the carrier changes, so it can keep a value computed earlier (a veth made with its
     * peer here stays LOWERLAYERDOWN after the peer moved away).
     */
    OperState storedOper = OperState.UNKNOWN;

    /**
     * The carrier the driver wants: a veth while both ends are up (veth_open/veth_close), a
     * macvlan the copy of its lower device's it was last given ({@link #lowerCarrierSeen}, whatever
     * the lower's admin state), a bridge until it gets ports and then while one port is oper up
     * (br_port_state_selection; with STP on it waits for a forwarding port); loopback, vxlan and
     * dummy never drop it.
     */
    boolean wantedCarrier() {
        if (isVeth()) {
            return adminUp && peer != null && peer.adminUp;
        }
        if ("macvlan".equals(kind)) {
            return parent != null && lowerCarrierSeen;
        }
        if (isBridge()) {
            boolean stp = details instanceof dev.netlib.model.BridgeSpec b && Boolean.TRUE.equals(b.stp());
            if (!portsSelected) {
                return !stp;
            }
            if (!adminUp) {
                // br_add_if() and br_stp_enable_bridge() enable ports only while the bridge is up,
                // br_stp_disable_bridge() disables them: no live port (checked on 6.18: a macvlan
                // on a down bridge with an up port is LOWERLAYERDOWN)
                return false;
            }
            for (FakeLink l : ns.links.values()) {
                // linkwatch updates the port's operstate before the bridge hears of it: up with carrier
                if (l.masterIndex == index && l.portForwarding()) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /**
     * A bridge port in LEARNING/FORWARDING state, as the fake has no STP timers: its bridge up and
     * itself up with carrier (br_stp_enable_port() once the port is oper up on an up bridge).
     */
    boolean portForwarding() {
        FakeLink master = masterIndex == 0 ? null : ns.links.get(masterIndex);
        return master != null && master.isBridge() && master.adminUp && adminUp && carrierOn;
    }

    /**
     * default_operstate(): UP with carrier; without, LOWERLAYERDOWN when the iflink (veth peer,
     * macvlan lower) index names a device <em>of this namespace</em> that has no carrier either
     * (the kernel looks the number up here, whatever namespace the lower is in), else DOWN.
     */
    OperState defaultOperState() {
        if (carrierOn) {
            return OperState.UP;
        }
        FakeLink lower = peer != null ? peer : parent;
        FakeLink found = lower == null ? null : ns.links.get(lower.index);
        return found == null || found == this || found.carrierOn ? OperState.DOWN : OperState.LOWERLAYERDOWN;
    }

    /** What IFLA_OPERSTATE reports: the stored state while running, DOWN otherwise (rtnl_fill_ifinfo). */
    OperState operState() {
        return adminUp ? storedOper : OperState.DOWN;
    }

    /** netif_oper_up(): UP or UNKNOWN. */
    boolean isOperUp() {
        OperState s = operState();
        return s == OperState.UP || s == OperState.UNKNOWN;
    }

    LinkInfo info() {
        FakeLink master = masterIndex == 0 ? null : ns.links.get(masterIndex);
        int linkIndex = 0;
        int linkNetnsId = -1;
        FakeLink other = peer != null ? peer : parent;
        if (other != null) {
            linkIndex = other.index;
            if (other.ns != ns) {
                linkNetnsId = ns.nsidOf(other.ns);
            }
        } else if (linkNet != null && linkNet != ns) {
            // rtnl_fill_ifinfo() for a vxlan moved away from vxlan->net: IFLA_LINK is its own
            // index and IFLA_LINK_NETNSID names the namespace it was made from (ip: vx0@if4 link-netns A)
            linkIndex = index;
            linkNetnsId = ns.nsidOf(linkNet);
        }
        return new LinkInfo(index, name, kind, mtu, minMtu, maxMtu, mac, adminUp, operState(), masterIndex,
                master == null ? null : master.name, linkIndex, linkNetnsId, group, txQueueLength, addrGenMode,
                reportedDetails(), master != null && master.isBridge() ? new BridgePortInfo(hairpin, learning) : null);
    }

    private LinkKindSpec reportedDetails() {
        if (isVeth()) {
            return new VethSpec(peer != null && peer.ns == ns ? peer.name : null, LinkAttributes.NONE);
        }
        if (details instanceof MacvlanSpec m) {
            return new MacvlanSpec(parent != null && parent.ns == ns ? parent.name : null, m.mode());
        }
        if (details instanceof VxlanSpec x && underlay != null) {
            String dev = underlay.ns == ns ? underlay.name : null;
            return new VxlanSpec(x.vni(), x.local(), x.remote(), x.group(), x.port(), dev, x.learning(), x.proxy(),
                    x.l2miss(), x.l3miss(), x.ttl());
        }
        return details;
    }

    @Override
    public String toString() {
        return name + "(" + index + ")";
    }
}
