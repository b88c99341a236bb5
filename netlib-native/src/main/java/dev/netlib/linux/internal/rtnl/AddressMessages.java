package dev.netlib.linux.internal.rtnl;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.netlib.linux.internal.rtnl.IfaConstants.IFADDRMSG_SIZE;
import static dev.netlib.linux.internal.rtnl.IfaConstants.IFA_ADDRESS;
import static dev.netlib.linux.internal.rtnl.IfaConstants.IFA_LOCAL;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.model.AddressInfo;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Interface addresses (the {@code IFA_*} space): RTM_NEWADDR / RTM_DELADDR requests, the
 * RTM_GETADDR dump and the decoder of RTM_NEWADDR. Byte for byte what iproute2 sends (golden
 * fixtures in {@code src/test/resources/golden/rtnl/addr-*.txt}).
 */
public final class AddressMessages {
    private AddressMessages() {}

    /** Appends the request for an {@link AddAddress} or {@link DeleteAddress}. Equivalent to: {@code ip addr add|del}. */
    public static void encode(MessageWriter w, KernelChange change, LinkIndexResolver links) {
        if (change instanceof AddAddress a) {
            encode(a, w, links);
        } else if (change instanceof DeleteAddress d) {
            encode(d, w, links);
        } else {
            throw new IllegalArgumentException("not an address change: " + change);
        }
    }

    /**
     * RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL (EEXIST when the address is there already),
     * IFA_LOCAL and IFA_ADDRESS both the address, no broadcast.
     *
     * <p>Equivalent to: {@code ip addr add ADDRESS/LEN dev DEVICE}.
     */
    public static void encode(AddAddress c, MessageWriter w, LinkIndexResolver links) {
        write(w, RtnlConstants.RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, c.address(), links.indexOf(c.device()),
                defaultScope(c.address()));
    }

    /**
     * RTM_DELADDR; EADDRNOTAVAIL when the device does not have the address.
     *
     * <p>Equivalent to: {@code ip addr del ADDRESS/LEN dev DEVICE}.
     */
    public static void encode(DeleteAddress c, MessageWriter w, LinkIndexResolver links) {
        write(w, RtnlConstants.RTM_DELADDR, NLM_F_ACK, c.address(), links.indexOf(c.device()), 0);
    }

    /**
     * The scope ip(8) gives an address it adds without "scope": host for 127.0.0.0/8 (iproute2's
     * default_scope()), else 0, universe; the kernel itself sets link/host scope only for IPv6.
     */
    static int defaultScope(IpPrefix address) {
        byte[] a = address.address().getAddress();
        return a.length == 4 && (a[0] & 0xff) == 127 ? RtaConstants.RT_SCOPE_HOST : 0;
    }

    private static void write(MessageWriter w, int type, int flags, IpPrefix address, int index, int scope) {
        byte[] a = address.address().getAddress();
        w.beginMessage(type, flags);
        // struct ifaddrmsg: family, prefixlen, flags, scope, index
        w.putU8(InetValues.family(address)).putU8(address.length()).putU8(0).putU8(scope).putU32(index);
        // The kernel takes IFA_LOCAL as the address and IFA_ADDRESS as the prefix (peer on
        // point-to-point links); ip sends both, equal, in this order.
        w.attrBytes(IFA_LOCAL, a);
        w.attrBytes(IFA_ADDRESS, a);
        w.endMessage();
    }

    /**
     * The RTM_GETADDR dump request of every family (AF_UNSPEC: the kernel walks IPv4 and IPv6).
     *
     * <p>Equivalent to: {@code ip addr show}.
     */
    public static void dumpRequest(MessageWriter w) {
        w.beginMessage(RtnlConstants.RTM_GETADDR, NLM_F_DUMP);
        w.putZeros(IFADDRMSG_SIZE);
        w.endMessage();
    }

    /**
     * Whether {@code m} is an IPv4 or IPv6 RTM_NEWADDR (others are skipped by {@link #dump}).
     * Equivalent to: the families {@code ip addr show} prints.
     */
    public static boolean isAddress(NetlinkMessage m) {
        if (m.type() != RtnlConstants.RTM_NEWADDR || m.payloadLength() < IFADDRMSG_SIZE) {
            return false;
        }
        int family = m.payloadView().get(0) & 0xff;
        return family == LinuxConstants.AF_INET || family == LinuxConstants.AF_INET6;
    }

    /**
     * Decodes one RTM_NEWADDR of family AF_INET or AF_INET6: the address is IFA_LOCAL (IFA_ADDRESS
     * when there is none, as for IPv6), the device named by {@code linkNames} (null if unknown).
     * Equivalent to: one {@code inet}/{@code inet6} line of {@code ip addr show}.
     */
    public static AddressInfo decode(NetlinkMessage m, IntFunction<String> linkNames) {
        Attributes a = m.attributes(IFADDRMSG_SIZE, "RTM_NEWADDR", IfaConstants.NAMES);
        ByteBuffer h = m.payloadView();
        int family = h.get(0) & 0xff;
        int prefixLength = h.get(1) & 0xff;
        int scope = h.get(3) & 0xff;
        int index = h.getInt(4);
        InetAddress address = a.find(IFA_LOCAL).or(() -> a.find(IFA_ADDRESS))
                .map(x -> InetValues.address(x, family))
                .orElseThrow(() -> new MalformedMessageException(
                        "RTM_NEWADDR/IFA_LOCAL: missing (and no IFA_ADDRESS)"));
        return new AddressInfo(index, linkNames.apply(index), InetValues.prefix(address, prefixLength, "RTM_NEWADDR"),
                InetValues.scope(scope));
    }

    /**
     * Every IPv4 and IPv6 address of the socket's namespace; {@code linkNames} names ifindexes.
     *
     * <p>Equivalent to: {@code ip addr show}.
     */
    public static List<AddressInfo> dump(NetlinkSocket socket, IntFunction<String> linkNames) {
        MessageWriter w = new MessageWriter(64);
        dumpRequest(w);
        return socket.dump(w, "ip addr show", m -> isAddress(m) ? decode(m, linkNames) : null);
    }
}
