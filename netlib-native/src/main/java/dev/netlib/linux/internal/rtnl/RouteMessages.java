package dev.netlib.linux.internal.rtnl;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_REPLACE;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_DST;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_GATEWAY;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_MULTIPATH;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_OIF;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_PRIORITY;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_TABLE;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTA_VIA;
import static dev.netlib.linux.internal.rtnl.RtaConstants.RTMSG_SIZE;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.Attribute;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteSpec;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Routes (the {@code RTA_*} space): RTM_NEWROUTE / RTM_DELROUTE requests, the RTM_GETROUTE dump
 * and the decoder of RTM_NEWROUTE. The header fields follow iproute2 ({@code ip route}) so the
 * bytes equal what it sends (golden fixtures {@code route-*.txt}); attributes are sent only for
 * what the {@link RouteSpec} sets.
 */
public final class RouteMessages {
    private RouteMessages() {}

    /** Appends the request for an {@link AddRoute} or {@link DeleteRoute}. Equivalent to: {@code ip route add|replace|del}. */
    public static void encode(MessageWriter w, KernelChange change, LinkIndexResolver links) {
        if (change instanceof AddRoute a) {
            encode(a, w, links);
        } else if (change instanceof DeleteRoute d) {
            encode(d, w, links);
        } else {
            throw new IllegalArgumentException("not a route change: " + change);
        }
    }

    /**
     * Refuses a route the kernel could never accept, before anything is sent: a gateway of the
     * other family, a negative metric or table. Equivalent to: the checks of {@code ip route add}
     * that the kernel would otherwise make. The change's command, which names it in the message, is
     * rendered only for a refusal: every route of every batch is checked, most pass.
     */
    public static void validate(RouteSpec r, KernelChange change) {
        int family = InetValues.family(r.destination());
        if (r.gateway() != null) {
            InetValues.requireFamily(family, r.gateway(), "gateway", change);
        }
        if (r.table() != null && r.table() < 0) {
            throw new InvalidConfigException(change.command() + ": table " + r.table() + " is out of range; allowed 1..2147483647");
        }
        if (r.metric() != null && r.metric() < 0) {
            throw new InvalidConfigException(change.command() + ": metric " + r.metric() + " is out of range; allowed 0..2147483647");
        }
    }

    /**
     * RTM_NEWROUTE with NLM_F_CREATE|NLM_F_EXCL (EEXIST when there is such a route), or
     * NLM_F_CREATE|NLM_F_REPLACE when {@code replace}; protocol boot, type unicast.
     *
     * <p>Equivalent to: {@code ip route add|replace DESTINATION [via GATEWAY] [dev DEVICE] [scope
     * SCOPE] [table TABLE] [metric METRIC]}.
     */
    public static void encode(AddRoute c, MessageWriter w, LinkIndexResolver links) {
        RouteSpec r = c.route();
        validate(r, c);
        int oif = r.device() == null ? 0 : links.indexOf(r.device());
        int family = InetValues.family(r.destination());
        int scope;
        if (r.scope() != null) {
            scope = r.scope().kernelValue();
        } else if (family == LinuxConstants.AF_INET6 || r.gateway() != null) {
            scope = RtaConstants.RT_SCOPE_UNIVERSE; // IPv6 routes have no scope; a gateway route is global
        } else {
            scope = RtaConstants.RT_SCOPE_LINK; // a device route without gateway reaches the link only
        }
        int flags = NLM_F_ACK | NLM_F_CREATE | (c.replace() ? NLM_F_REPLACE : NLM_F_EXCL);
        write(w, RtnlConstants.RTM_NEWROUTE, flags, r, oif, RtaConstants.RTPROT_BOOT, scope, RtaConstants.RTN_UNICAST);
    }

    /**
     * RTM_DELROUTE. Protocol and type 0 match any; an IPv4 delete without a scope says
     * RT_SCOPE_NOWHERE (any scope), as ip does. ESRCH when there is no such route.
     *
     * <p>Equivalent to: {@code ip route del DESTINATION [via GATEWAY] [dev DEVICE] [table TABLE]
     * [metric METRIC]}.
     */
    public static void encode(DeleteRoute c, MessageWriter w, LinkIndexResolver links) {
        RouteSpec r = c.route();
        validate(r, c);
        int oif = r.device() == null ? 0 : links.indexOf(r.device());
        int family = InetValues.family(r.destination());
        int scope = r.scope() != null ? r.scope().kernelValue()
                : family == LinuxConstants.AF_INET6 ? RtaConstants.RT_SCOPE_UNIVERSE : RtaConstants.RT_SCOPE_NOWHERE;
        write(w, RtnlConstants.RTM_DELROUTE, NLM_F_ACK, r, oif, RtaConstants.RTPROT_UNSPEC, scope, RtaConstants.RTN_UNSPEC);
    }

    private static void write(MessageWriter w, int type, int flags, RouteSpec r, int oif, int protocol, int scope, int rtnType) {
        int family = InetValues.family(r.destination());
        int table = r.table() == null ? RtaConstants.RT_TABLE_MAIN : r.table();
        w.beginMessage(type, flags);
        // struct rtmsg: ids above 255 do not fit rtm_table and go in RTA_TABLE instead
        w.putU8(family).putU8(r.destination().length()).putU8(0).putU8(0)
                .putU8(table < 256 ? table : RtaConstants.RT_TABLE_UNSPEC).putU8(protocol).putU8(scope).putU8(rtnType)
                .putU32(0);
        // ip sends no RTA_DST for the IPv4 default route but the all-zero one for IPv6 ::/0
        if (r.destination().length() > 0 || family == LinuxConstants.AF_INET6) {
            w.attrBytes(RTA_DST, r.destination().address().getAddress()); // as given: the kernel names host bits
        }
        if (r.gateway() != null) {
            w.attrBytes(RTA_GATEWAY, r.gateway().getAddress());
        }
        if (table >= 256) {
            w.attrU32(RTA_TABLE, table);
        }
        if (r.metric() != null) {
            w.attrU32(RTA_PRIORITY, r.metric());
        }
        if (oif != 0) {
            w.attrU32(RTA_OIF, oif);
        }
        w.endMessage();
    }

    /**
     * The RTM_GETROUTE dump request of every family (AF_UNSPEC: the kernel walks IPv4, IPv6 and
     * the multicast families; {@link #dump} keeps IPv4 and IPv6).
     *
     * <p>Equivalent to: {@code ip route show table all} (the request it sends).
     */
    public static void dumpRequest(MessageWriter w) {
        w.beginMessage(RtnlConstants.RTM_GETROUTE, NLM_F_DUMP);
        w.putZeros(RTMSG_SIZE);
        w.endMessage();
    }

    /** The table of a route message: RTA_TABLE when present (ids above 255), else rtm_table. */
    static int table(NetlinkMessage m, Attributes a) {
        return a.u32(RTA_TABLE).orElse(m.payloadView().get(4) & 0xff);
    }

    /**
     * Whether {@link #dump} lists {@code m}: an IPv4 or IPv6 RTM_NEWROUTE that is not in the local
     * table (255, the kernel's own local and broadcast routes) and not a cached clone.
     * Equivalent to: what {@code ip route show table all} prints minus {@code table local}.
     */
    public static boolean isListed(NetlinkMessage m) {
        if (m.type() != RtnlConstants.RTM_NEWROUTE || m.payloadLength() < RTMSG_SIZE) {
            return false;
        }
        ByteBuffer h = m.payloadView();
        int family = h.get(0) & 0xff;
        if (family != LinuxConstants.AF_INET && family != LinuxConstants.AF_INET6) {
            return false;
        }
        if ((h.getInt(8) & RtaConstants.RTM_F_CLONED) != 0) {
            return false;
        }
        return table(m, m.attributes(RTMSG_SIZE, "RTM_NEWROUTE", RtaConstants.NAMES)) != RtaConstants.RT_TABLE_LOCAL;
    }

    /**
     * Decodes one RTM_NEWROUTE of family AF_INET or AF_INET6. The default route has no RTA_DST
     * (IPv4) or an all-zero one; a multipath route reports its first next hop's gateway and device.
     * Equivalent to: one line of {@code ip route show table all}.
     */
    public static RouteInfo decode(NetlinkMessage m, IntFunction<String> linkNames) {
        Attributes a = m.attributes(RTMSG_SIZE, "RTM_NEWROUTE", RtaConstants.NAMES);
        ByteBuffer h = m.payloadView();
        int family = h.get(0) & 0xff;
        if (family != LinuxConstants.AF_INET && family != LinuxConstants.AF_INET6) {
            throw new MalformedMessageException("RTM_NEWROUTE: family " + family + " is not AF_INET or AF_INET6");
        }
        int dstLen = h.get(1) & 0xff;
        int protocol = h.get(5) & 0xff;
        int scope = h.get(6) & 0xff;
        int type = h.get(7) & 0xff;
        InetAddress dst = a.find(RTA_DST).map(x -> InetValues.address(x, family)).orElse(InetValues.any(family));
        InetAddress gateway = gateway(a, family);
        int oif = a.u32(RTA_OIF).orElse(0);
        if (a.has(RTA_MULTIPATH) && oif == 0) {
            // struct rtnexthop {u16 len; u8 flags; u8 hops; s32 ifindex} followed by its RTA_* (RTA_GATEWAY)
            Attribute mp = a.find(RTA_MULTIPATH).get();
            ByteBuffer nh = mp.value().duplicate().order(ByteOrder.nativeOrder());
            if (nh.limit() >= RtaConstants.RTNEXTHOP_SIZE) {
                int len = nh.getShort(0) & 0xffff;
                if (len < RtaConstants.RTNEXTHOP_SIZE || len > nh.limit()) {
                    throw new MalformedMessageException(mp.path() + ": rtnexthop length " + len + " of " + nh.limit());
                }
                oif = nh.getInt(4);
                ByteBuffer inner = nh.duplicate().position(RtaConstants.RTNEXTHOP_SIZE).limit(len).slice()
                        .order(ByteOrder.nativeOrder());
                Attributes nha = Attributes.parse(inner, mp.path() + "/rtnexthop", RtaConstants.NAMES);
                if (gateway == null) {
                    gateway = gateway(nha, family);
                }
            }
        }
        return new RouteInfo(InetValues.prefix(dst, dstLen, "RTM_NEWROUTE/RTA_DST"), gateway,
                oif == 0 ? null : linkNames.apply(oif), oif, InetValues.scope(scope), table(m, a),
                a.u32(RTA_PRIORITY).orElse(0), protocol, type);
    }

    /** RTA_GATEWAY (same family), else RTA_VIA ({u16 family; address}) for a next hop of the other family. */
    private static InetAddress gateway(Attributes a, int family) {
        if (a.has(RTA_GATEWAY)) {
            return InetValues.address(a.find(RTA_GATEWAY).get(), family);
        }
        if (a.has(RTA_VIA)) {
            Attribute via = a.find(RTA_VIA).get();
            if (via.length() < 2) {
                throw new MalformedMessageException(via.path() + ": length " + via.length() + " < 2");
            }
            int viaFamily = via.u16();
            byte[] b = via.bytes();
            byte[] addr = Arrays.copyOfRange(b, 2, b.length);
            if (addr.length != InetValues.addressLength(viaFamily)) {
                throw new MalformedMessageException(via.path() + ": " + addr.length + " address bytes for family " + viaFamily);
            }
            return IpAddresses.fromBytes(addr);
        }
        return null;
    }

    /**
     * Routes of every table but local (255), IPv4 and IPv6; {@code linkNames} names ifindexes.
     *
     * <p>Equivalent to: {@code ip route show table all; ip -6 route show table all} without the
     * local table.
     */
    public static List<RouteInfo> dump(NetlinkSocket socket, IntFunction<String> linkNames) {
        MessageWriter w = new MessageWriter(64);
        dumpRequest(w);
        return socket.dump(w, "ip route show table all", m -> isListed(m) ? decode(m, linkNames) : null);
    }
}
