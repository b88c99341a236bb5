package dev.netlib.fake;

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
     * RFC 2863 state as the kernel computes it: a veth has carrier only while its peer is up, a
     * macvlan follows its lower device, a bridge has carrier while one port has (an empty bridge
     * without STP reports UNKNOWN, as Linux 6.18 does), loopback/vxlan/dummy have no
     * carrier handling and report UNKNOWN when up.
     */
    OperState operState() {
        if (!adminUp) {
            return OperState.DOWN;
        }
        if (isLoopback() || isVxlan() || "dummy".equals(kind)) {
            return OperState.UNKNOWN;
        }
        if (isVeth()) {
            return peer != null && peer.adminUp ? OperState.UP : OperState.LOWERLAYERDOWN;
        }
        if ("macvlan".equals(kind)) {
            return parent != null && parent.isOperUp() ? OperState.UP : OperState.LOWERLAYERDOWN;
        }
        if (isBridge()) {
            boolean anyPort = false;
            for (FakeLink l : ns.links.values()) {
                if (l.masterIndex == index) {
                    anyPort = true;
                    if (l.isOperUp()) {
                        return OperState.UP;
                    }
                }
            }
            // With STP on, carrier waits for a forwarding port even without ports (the fake skips
            // STP's forward delay: an up port forwards at once).
            boolean stp = details instanceof dev.netlib.model.BridgeSpec b && Boolean.TRUE.equals(b.stp());
            return anyPort || stp ? OperState.DOWN : OperState.UNKNOWN;
        }
        return OperState.UNKNOWN;
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
        }
        return new LinkInfo(index, name, kind, mtu, minMtu, maxMtu, mac, adminUp, operState(), masterIndex,
                master == null ? null : master.name, linkIndex, linkNetnsId, group, txQueueLength, addrGenMode,
                reportedDetails());
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
