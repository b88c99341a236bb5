package dev.netlib.linux.internal.rtnl;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_APPEND;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_REPLACE;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_DST;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_LLADDR;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_MASTER;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_VLAN;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDA_VNI;
import static dev.netlib.linux.internal.rtnl.NdaConstants.NDMSG_SIZE;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.NeighborState;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Bridge forwarding database entries (the {@code NDA_*} space with family AF_BRIDGE):
 * RTM_NEWNEIGH / RTM_DELNEIGH requests, the RTM_GETNEIGH dump and its decoder. Byte for byte
 * what {@code bridge fdb} sends (golden fixtures {@code fdb-*.txt}).
 *
 * <p>NTF_SELF programs the device's own table (a vxlan's MAC to VTEP map, where NDA_DST is the
 * remote VTEP and NDA_VNI overrides the device's VNI); NTF_MASTER the table of the bridge the
 * device is a port of. A permanent entry is NUD_PERMANENT|NUD_NOARP and a dynamic one
 * NUD_REACHABLE, as bridge(8) sends them.
 */
public final class FdbMessages {
    private FdbMessages() {}

    /** Appends the request for an {@link AddFdb} or {@link DeleteFdb}. Equivalent to: {@code bridge fdb add|append|del}. */
    public static void encode(MessageWriter w, KernelChange change, LinkIndexResolver links) {
        if (change instanceof AddFdb a) {
            encode(a, w, links);
        } else if (change instanceof DeleteFdb d) {
            encode(d, w, links);
        } else {
            throw new IllegalArgumentException("not an FDB change: " + change);
        }
    }

    /**
     * Refuses an entry the kernel could never take, before anything is sent; the change's command,
     * which names it in the message, is rendered only for a refusal. Equivalent to: the checks of
     * {@code bridge fdb add}.
     */
    public static void validate(FdbSpec f, KernelChange change) {
        if (f.mac() == null) {
            throw new InvalidConfigException(change.command() + ": an FDB entry needs a MAC address");
        }
        if (f.vni() != null && (f.vni() < 0 || f.vni() > 0xFFFFFF)) {
            throw new InvalidConfigException(change.command() + ": VNI " + f.vni() + " is out of range; allowed 0..16777215");
        }
        if (f.vlan() != null && (f.vlan() < 1 || f.vlan() > 4094)) {
            // fdb_vid_parse(): "invalid vlan id" (EINVAL) for 0 and VLAN_VID_MASK up
            throw new InvalidConfigException(change.command() + ": VLAN " + f.vlan() + " is out of range; allowed 1..4094");
        }
    }

    /**
     * RTM_NEWNEIGH (AF_BRIDGE) with NLM_F_CREATE|NLM_F_EXCL, or NLM_F_CREATE|NLM_F_APPEND when
     * {@code append}: a vxlan keeps several all-zero flood entries, one per remote VTEP, only
     * when they are appended; NLM_F_CREATE|NLM_F_REPLACE when {@code replace} (iproute2's
     * {@code bridge fdb replace}), which takes over an existing entry for the MAC.
     *
     * <p>Equivalent to: {@code bridge fdb add|append|replace MAC dev DEVICE [dst VTEP] [vni VNI]
     * [vlan VID] [self] [master] permanent|dynamic}.
     */
    public static void encode(AddFdb c, MessageWriter w, LinkIndexResolver links) {
        int flags = NLM_F_ACK | NLM_F_CREATE | (c.append() ? NLM_F_APPEND : c.replace() ? NLM_F_REPLACE : NLM_F_EXCL);
        write(w, RtnlConstants.RTM_NEWNEIGH, flags, c.entry(), c, links);
    }

    /**
     * RTM_DELNEIGH (AF_BRIDGE). For a vxlan flood entry NDA_DST picks which VTEP's entry goes.
     *
     * <p>Equivalent to: {@code bridge fdb del MAC dev DEVICE [dst VTEP] [vni VNI] [vlan VID] [self] [master]}.
     */
    public static void encode(DeleteFdb c, MessageWriter w, LinkIndexResolver links) {
        write(w, RtnlConstants.RTM_DELNEIGH, NLM_F_ACK, c.entry(), c, links);
    }

    private static void write(MessageWriter w, int type, int flags, FdbSpec f, KernelChange change, LinkIndexResolver links) {
        validate(f, change);
        int index = links.indexOf(f.device());
        // bridge(8): NUD_NOARP always, plus PERMANENT ("permanent") or REACHABLE ("static");
        // "dynamic" clears NOARP and sets REACHABLE
        int state = switch (f.state()) {
            case PERMANENT -> NdaConstants.NUD_PERMANENT | NdaConstants.NUD_NOARP;
            case STATIC -> NdaConstants.NUD_NOARP | NdaConstants.NUD_REACHABLE;
            case DYNAMIC -> NdaConstants.NUD_REACHABLE;
        };
        int ntf = (f.self() ? NdaConstants.NTF_SELF : 0) | (f.master() ? NdaConstants.NTF_MASTER : 0);
        if (ntf == 0) {
            ntf = NdaConstants.NTF_SELF; // bridge(8) assumes self when neither is given
        }
        w.beginMessage(type, flags);
        NeighborMessages.ndmsg(w, LinuxConstants.AF_BRIDGE, index, state, ntf);
        w.attrBytes(NDA_LLADDR, f.mac().bytes());
        if (f.destination() != null) {
            w.attrBytes(NDA_DST, f.destination().getAddress());
        }
        if (f.vlan() != null) {
            w.attrU16(NDA_VLAN, f.vlan());
        }
        if (f.vni() != null) {
            w.attrU32(NDA_VNI, f.vni());
        }
        w.endMessage();
    }

    /**
     * The RTM_GETNEIGH dump request with family AF_BRIDGE (an ndmsg header, as bridge 6.1 sends).
     *
     * <p>Equivalent to: {@code bridge fdb show} (the request it sends).
     */
    public static void dumpRequest(MessageWriter w) {
        w.beginMessage(RtnlConstants.RTM_GETNEIGH, NLM_F_DUMP);
        NeighborMessages.ndmsg(w, LinuxConstants.AF_BRIDGE, 0, 0, 0);
        w.endMessage();
    }

    /** Whether {@code m} is an AF_BRIDGE RTM_NEWNEIGH. Equivalent to: the entries {@code bridge fdb show} prints. */
    public static boolean isListed(NetlinkMessage m) {
        if (m.type() != RtnlConstants.RTM_NEWNEIGH || m.payloadLength() < NDMSG_SIZE) {
            return false;
        }
        return (m.payloadView().get(0) & 0xff) == LinuxConstants.AF_BRIDGE;
    }

    /**
     * Decodes one AF_BRIDGE RTM_NEWNEIGH. An entry of a bridge's table carries NDA_MASTER (the
     * kernel does not set NTF_MASTER in dumps): {@code master} is true for it. {@code mac} is
     * null when the address is not 6 bytes. Equivalent to: one line of {@code bridge fdb show}.
     */
    public static FdbInfo decode(NetlinkMessage m, IntFunction<String> linkNames) {
        Attributes a = m.attributes(NDMSG_SIZE, "RTM_NEWNEIGH", NdaConstants.NAMES);
        ByteBuffer h = m.payloadView();
        int index = h.getInt(4);
        int state = h.getShort(8) & 0xffff;
        int flags = h.get(10) & 0xff;
        MacAddress mac = InetValues.mac(a.require(NDA_LLADDR, NdaConstants.NAMES));
        InetAddress dst = a.find(NDA_DST).map(InetValues::anyAddress).orElse(null);
        Integer vni = a.find(NDA_VNI).map(x -> x.u32()).orElse(null);
        int vlan = a.u16(NDA_VLAN).orElse(0);
        int masterIndex = a.u32(NDA_MASTER).orElse(0);
        boolean self = (flags & NdaConstants.NTF_SELF) != 0;
        boolean master = (flags & NdaConstants.NTF_MASTER) != 0 || masterIndex != 0;
        return new FdbInfo(index, linkNames.apply(index), mac, dst, vni, vlan, masterIndex, self, master,
                NeighborState.fromBits(state));
    }

    /**
     * Every bridge FDB entry of the socket's namespace: of bridges, their ports and vxlan
     * devices; {@code linkNames} names ifindexes.
     *
     * <p>Equivalent to: {@code bridge fdb show}.
     */
    public static List<FdbInfo> dump(NetlinkSocket socket, IntFunction<String> linkNames) {
        MessageWriter w = new MessageWriter(64);
        dumpRequest(w);
        return socket.dump(w, "bridge fdb show", m -> isListed(m) ? decode(m, linkNames) : null);
    }
}
