package dev.netlib.linux.internal.rtnl;

import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_ADDRESS;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_AF_SPEC;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_GROUP;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_IFNAME;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_LINK;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_LINKINFO;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_LINK_NETNSID;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_MASTER;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_MAX_MTU;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_MIN_MTU;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_MTU;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_OPERSTATE;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_TXQLEN;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.AttributeNames;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.model.BridgePortInfo;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.OperState;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * Decodes RTM_NEWLINK messages (dump or get answers) into {@link LinkInfo}. Bounds-checked through
 * {@link Attributes}: a malformed message gives a {@link MalformedMessageException} naming the
 * attribute path (for example {@code RTM_NEWLINK/IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_PORT}).
 */
public final class LinkDecoder {
    private LinkDecoder() {}

    /** Names of IFLA_AF_SPEC's families; a class, not a lambda: made when a fresh JVM decodes its first link. */
    private static final AttributeNames INET6_SPEC = new AttributeNames() {
        @Override
        public String name(int type) {
            return type == LinkEncoder.AF_INET6 ? "AF_INET6" : "AF_" + type;
        }
    };

    /** The ifindex of an RTM_NEWLINK (ifi_index of its ifinfomsg). */
    public static int index(NetlinkMessage m) {
        if (m.payloadLength() < RtnlConstants.IFINFOMSG_SIZE) {
            throw new MalformedMessageException("RTM_NEWLINK: payload " + m.payloadLength() + " bytes < ifinfomsg "
                    + RtnlConstants.IFINFOMSG_SIZE);
        }
        return m.payloadView().getInt(4);
    }

    /** Whether an RTM_NEWLINK describes a bridge (IFLA_LINKINFO/IFLA_INFO_KIND "bridge"). */
    public static boolean isBridge(NetlinkMessage m) {
        Optional<Attributes> linkInfo = attributes(m).nested(IFLA_LINKINFO, IflaInfoConstants.NAMES);
        return linkInfo.isPresent() && "bridge".equals(linkInfo.get().string(IflaInfoConstants.IFLA_INFO_KIND).orElse(null));
    }

    /** The name (IFLA_IFNAME) of an RTM_NEWLINK. */
    public static String name(NetlinkMessage m) {
        return attributes(m).string(IFLA_IFNAME).orElse(null);
    }

    static Attributes attributes(NetlinkMessage m) {
        return m.attributes(RtnlConstants.IFINFOMSG_SIZE, "RTM_NEWLINK", IflaConstants.NAMES);
    }

    /**
     * Decodes one RTM_NEWLINK. {@code nameOfIndex} names other links of the same namespace (the
     * master, a macvlan's parent, a VXLAN's device, a veth peer that lives here); it may return
     * null for unknown indexes.
     */
    public static LinkInfo decode(NetlinkMessage m, IntFunction<String> nameOfIndex) {
        int index = index(m);
        int flags = m.payloadView().getInt(8);
        Attributes a = attributes(m);
        String name = a.string(IFLA_IFNAME).orElseThrow(
                () -> new MalformedMessageException("RTM_NEWLINK/IFLA_IFNAME: missing (ifindex " + index + ")"));
        Optional<Attributes> linkInfo = a.nested(IFLA_LINKINFO, IflaInfoConstants.NAMES);
        String kind = linkInfo.flatMap(li -> li.string(IflaInfoConstants.IFLA_INFO_KIND)).orElse(null);
        MacAddress mac = a.bytes(IFLA_ADDRESS).filter(b -> b.length == 6).map(MacAddress::of).orElse(null);
        int master = or(a.u32(IFLA_MASTER), 0);
        int link = or(a.u32(IFLA_LINK), 0);
        int linkNetnsId = or(a.s32(IFLA_LINK_NETNSID), -1);
        boolean peerHere = linkNetnsId < 0;
        String masterName = master != 0 ? nameOfIndex.apply(master) : null;
        LinkKindSpec details = details(kind, linkInfo, link, peerHere, nameOfIndex);
        return new LinkInfo(
                index,
                name,
                kind,
                or(a.u32(IFLA_MTU), 0),
                or(a.u32(IFLA_MIN_MTU), 0),
                or(a.u32(IFLA_MAX_MTU), 0),
                mac,
                (flags & RtnlConstants.IFF_UP) != 0,
                a.u8(IFLA_OPERSTATE).isPresent() ? OperState.fromKernel(a.u8(IFLA_OPERSTATE).getAsInt()) : OperState.UNKNOWN,
                master,
                masterName,
                link,
                linkNetnsId,
                or(a.u32(IFLA_GROUP), 0),
                or(a.u32(IFLA_TXQLEN), 0),
                addrGenMode(a),
                details,
                bridgePort(linkInfo));
    }

    /**
     * A bridge port's flags: rtnl_link_slave_info_fill() adds IFLA_INFO_SLAVE_KIND "bridge" and, from
     * br_port_fill_attrs(), IFLA_INFO_SLAVE_DATA with IFLA_BRPORT_MODE and IFLA_BRPORT_LEARNING (u8
     * each) to every link whose master is a bridge. Null for any other link.
     */
    private static BridgePortInfo bridgePort(Optional<Attributes> linkInfo) {
        // isPresent() tests, not flatMap lambdas: this runs for every link decoded, from a fresh JVM's first
        if (linkInfo.isEmpty() || !"bridge".equals(linkInfo.get().string(IflaInfoConstants.IFLA_INFO_SLAVE_KIND).orElse(null))) {
            return null;
        }
        Optional<Attributes> data = linkInfo.get().nested(IflaInfoConstants.IFLA_INFO_SLAVE_DATA, IflaBrportConstants.NAMES);
        if (data.isEmpty()) {
            return null;
        }
        OptionalInt hairpin = data.get().u8(IflaBrportConstants.IFLA_BRPORT_MODE);
        OptionalInt learning = data.get().u8(IflaBrportConstants.IFLA_BRPORT_LEARNING);
        if (hairpin.isEmpty() || learning.isEmpty()) {
            return null; // not what br_port_fill_attrs() sends: no guess
        }
        return new BridgePortInfo(hairpin.getAsInt() != 0, learning.getAsInt() != 0);
    }

    private static int or(OptionalInt v, int dflt) {
        return v.isPresent() ? v.getAsInt() : dflt;
    }

    private static Ipv6AddrGenMode addrGenMode(Attributes a) {
        return a.nested(IFLA_AF_SPEC, INET6_SPEC)
                .flatMap(spec -> spec.nested(LinkEncoder.AF_INET6, IflaInet6Constants.NAMES))
                .map(inet6 -> inet6.u8(IflaInet6Constants.IFLA_INET6_ADDR_GEN_MODE))
                .filter(OptionalInt::isPresent)
                .map(v -> Ipv6AddrGenMode.fromKernel(v.getAsInt()))
                .orElse(null);
    }

    private static LinkKindSpec details(String kind, Optional<Attributes> linkInfo, int link, boolean peerHere,
            IntFunction<String> nameOfIndex) {
        if (kind == null) {
            return null;
        }
        Optional<Attributes> data = linkInfo.flatMap(li -> li.nested(IflaInfoConstants.IFLA_INFO_DATA, namesFor(kind)));
        switch (kind) {
            case "bridge": {
                Boolean stp = data.map(d -> d.u32(IflaBrConstants.IFLA_BR_STP_STATE)).filter(OptionalInt::isPresent)
                        .map(v -> v.getAsInt() != 0).orElse(null);
                Boolean vlan = data.map(d -> d.u8(IflaBrConstants.IFLA_BR_VLAN_FILTERING)).filter(OptionalInt::isPresent)
                        .map(v -> v.getAsInt() != 0).orElse(null);
                return new BridgeSpec(stp, vlan);
            }
            case "veth":
                return new VethSpec(link != 0 && peerHere ? nameOfIndex.apply(link) : null, null);
            case "macvlan": {
                MacvlanMode mode = data.map(d -> d.u32(IflaMacvlanConstants.IFLA_MACVLAN_MODE)).filter(OptionalInt::isPresent)
                        .map(v -> macvlanMode(v.getAsInt())).orElse(null);
                return new MacvlanSpec(link != 0 && peerHere ? nameOfIndex.apply(link) : null, mode);
            }
            case "vxlan":
                return data.map(d -> vxlan(d, nameOfIndex)).orElse(null);
            case "dummy":
                return new DummySpec();
            default:
                return null;
        }
    }

    private static MacvlanMode macvlanMode(int v) {
        try {
            return MacvlanMode.fromKernel(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static AttributeNames namesFor(String kind) {
        return switch (kind) {
            case "bridge" -> IflaBrConstants.NAMES;
            case "vxlan" -> IflaVxlanConstants.NAMES;
            case "macvlan" -> IflaMacvlanConstants.NAMES;
            case "veth" -> VethInfoConstants.NAMES;
            default -> AttributeNames.NUMERIC;
        };
    }

    private static VxlanSpec vxlan(Attributes d, IntFunction<String> nameOfIndex) {
        int vni = or(d.u32(IflaVxlanConstants.IFLA_VXLAN_ID), 0);
        InetAddress local = address(d, IflaVxlanConstants.IFLA_VXLAN_LOCAL, 4)
                .or(() -> address(d, IflaVxlanConstants.IFLA_VXLAN_LOCAL6, 16)).orElse(null);
        InetAddress peer = address(d, IflaVxlanConstants.IFLA_VXLAN_GROUP, 4)
                .or(() -> address(d, IflaVxlanConstants.IFLA_VXLAN_GROUP6, 16)).orElse(null);
        // The kernel keeps remote and group in one field: a multicast address is a group.
        InetAddress remote = peer != null && !peer.isMulticastAddress() ? peer : null;
        InetAddress group = peer != null && peer.isMulticastAddress() ? peer : null;
        OptionalInt port = d.u16Be(IflaVxlanConstants.IFLA_VXLAN_PORT);
        int dev = or(d.u32(IflaVxlanConstants.IFLA_VXLAN_LINK), 0);
        OptionalInt ttl = d.u8(IflaVxlanConstants.IFLA_VXLAN_TTL);
        return new VxlanSpec(
                vni,
                local,
                remote,
                group,
                port.isPresent() ? port.getAsInt() : null,
                dev != 0 ? nameOfIndex.apply(dev) : null,
                bool(d, IflaVxlanConstants.IFLA_VXLAN_LEARNING),
                bool(d, IflaVxlanConstants.IFLA_VXLAN_PROXY),
                bool(d, IflaVxlanConstants.IFLA_VXLAN_L2MISS),
                bool(d, IflaVxlanConstants.IFLA_VXLAN_L3MISS),
                ttl.isPresent() ? ttl.getAsInt() : null);
    }

    private static Boolean bool(Attributes d, int type) {
        OptionalInt v = d.u8(type);
        return v.isPresent() ? v.getAsInt() != 0 : null;
    }

    private static Optional<InetAddress> address(Attributes d, int type, int len) {
        return d.find(type).map(at -> {
            byte[] b = at.bytes();
            if (b.length != len) {
                throw new MalformedMessageException(at.path() + ": length " + b.length + " != " + len);
            }
            if (isZero(b)) {
                return null; // the kernel reports unset addresses as all zero
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new MalformedMessageException(at.path() + ": " + e.getMessage());
            }
        });
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
