package dev.netlib.linux.internal.rtnl;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_REPLACE;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_DST;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_LLADDR;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDMSG_SIZE;

import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborSpec;
import dev.netlib.model.NeighborState;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetNeighbor;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;

/**
 * IPv4 and IPv6 neighbours, ARP and NDP (the {@code NDA_*} space with family AF_INET / AF_INET6):
 * RTM_NEWNEIGH / RTM_DELNEIGH requests, the RTM_GETNEIGH dump and its decoder. Byte for byte
 * what {@code ip neigh} sends (golden fixtures {@code neigh-*.txt}). Bridge FDB entries share
 * the message types with family AF_BRIDGE: see {@link FdbMessages}.
 */
public final class NeighborMessages {
    private NeighborMessages() {}

    /** Appends the request for a {@link SetNeighbor} or {@link DeleteNeighbor}. Equivalent to: {@code ip neigh add|replace|del}. */
    public static void encode(MessageWriter w, KernelChange change, LinkIndexResolver links) {
        if (change instanceof SetNeighbor s) {
            encode(s, w, links);
        } else if (change instanceof DeleteNeighbor d) {
            encode(d, w, links);
        } else {
            throw new IllegalArgumentException("not a neighbour change: " + change);
        }
    }

    /**
     * RTM_NEWNEIGH with NLM_F_CREATE|NLM_F_EXCL (EEXIST when the entry exists), or
     * NLM_F_CREATE|NLM_F_REPLACE when {@code replace}; state PERMANENT unless the spec says
     * otherwise; NDA_LLADDR only when a MAC is given.
     *
     * <p>Equivalent to: {@code ip neigh add|replace ADDRESS [lladdr MAC] dev DEVICE nud STATE}.
     */
    public static void encode(SetNeighbor c, MessageWriter w, LinkIndexResolver links) {
        NeighborSpec n = c.neighbor();
        int index = links.indexOf(n.device());
        int state = n.state() == null ? NdaConstants.NUD_PERMANENT : n.state().bit();
        int flags = NLM_F_ACK | NLM_F_CREATE | (c.replace() ? NLM_F_REPLACE : NLM_F_EXCL);
        w.beginMessage(RtnlConstants.RTM_NEWNEIGH, flags);
        ndmsg(w, InetValues.family(n.address()), index, state, 0);
        w.attrBytes(NDA_DST, n.address().getAddress());
        if (n.mac() != null) {
            w.attrBytes(NDA_LLADDR, n.mac().bytes());
        }
        w.endMessage();
    }

    /**
     * RTM_DELNEIGH (ENOENT when there is no entry). The state field says PERMANENT as in the
     * request ip sends; the kernel ignores it on delete.
     *
     * <p>Equivalent to: {@code ip neigh del ADDRESS dev DEVICE}.
     */
    public static void encode(DeleteNeighbor c, MessageWriter w, LinkIndexResolver links) {
        int index = links.indexOf(c.device());
        w.beginMessage(RtnlConstants.RTM_DELNEIGH, NLM_F_ACK);
        ndmsg(w, InetValues.family(c.address()), index, NdaConstants.NUD_PERMANENT, 0);
        w.attrBytes(NDA_DST, c.address().getAddress());
        w.endMessage();
    }

    /** struct ndmsg: family, pad1, pad2, ifindex, state, flags, type. */
    static void ndmsg(MessageWriter w, int family, int index, int state, int flags) {
        w.putU8(family).putU8(0).putU16(0).putU32(index).putU16(state).putU8(flags).putU8(0);
    }

    /**
     * The RTM_GETNEIGH dump request with family AF_UNSPEC: the kernel walks the ARP and NDP
     * tables (not the bridge FDB, which needs AF_BRIDGE).
     *
     * <p>Equivalent to: {@code ip neigh show} (the request it sends).
     */
    public static void dumpRequest(MessageWriter w) {
        w.beginMessage(RtnlConstants.RTM_GETNEIGH, NLM_F_DUMP);
        w.putZeros(NDMSG_SIZE);
        w.endMessage();
    }

    /**
     * Whether {@link #dump} lists {@code m}: an IPv4 or IPv6 RTM_NEWNEIGH with an address, not a
     * proxy entry, and not NUD_NOARP. Like {@code ip neigh show}, the NOARP entries are left out:
     * the kernel makes them itself for multicast, broadcast and loopback addresses.
     * Equivalent to: the entries {@code ip neigh show} prints.
     */
    public static boolean isListed(NetlinkMessage m) {
        if (m.type() != RtnlConstants.RTM_NEWNEIGH || m.payloadLength() < NDMSG_SIZE) {
            return false;
        }
        ByteBuffer h = m.payloadView();
        int family = h.get(0) & 0xff;
        int state = h.getShort(8) & 0xffff;
        int flags = h.get(10) & 0xff;
        return (family == LinuxConstants.AF_INET || family == LinuxConstants.AF_INET6)
                && (state & NdaConstants.NUD_NOARP) == 0
                && (flags & NdaConstants.NTF_PROXY) == 0;
    }

    /** Decodes one RTM_NEWNEIGH of family AF_INET or AF_INET6; mac null while unresolved. Equivalent to: one line of {@code ip neigh show}. */
    public static NeighborInfo decode(NetlinkMessage m, IntFunction<String> linkNames) {
        Attributes a = m.attributes(NDMSG_SIZE, "RTM_NEWNEIGH", NdaConstants.NAMES);
        ByteBuffer h = m.payloadView();
        int family = h.get(0) & 0xff;
        int index = h.getInt(4);
        int state = h.getShort(8) & 0xffff;
        InetAddress dst = InetValues.address(a.require(NDA_DST, NdaConstants.NAMES), family);
        MacAddress mac = a.find(NDA_LLADDR).map(InetValues::mac).orElse(null);
        return new NeighborInfo(index, linkNames.apply(index), dst, mac, NeighborState.fromBits(state));
    }

    /**
     * IPv4 and IPv6 neighbour entries of the socket's namespace (without NOARP and proxy entries);
     * {@code linkNames} names ifindexes.
     *
     * <p>Equivalent to: {@code ip neigh show}.
     */
    public static List<NeighborInfo> dump(NetlinkSocket socket, IntFunction<String> linkNames) {
        MessageWriter w = new MessageWriter(64);
        dumpRequest(w);
        return socket.dump(w, "ip neigh show", m -> isListed(m) ? decode(m, linkNames) : null);
    }
}
