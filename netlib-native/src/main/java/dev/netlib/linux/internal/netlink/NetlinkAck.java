package dev.netlib.linux.internal.netlink;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSGERR_ATTR_MSG;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSGERR_ATTR_OFFS;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_HDRLEN;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK_TLVS;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CAPPED;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed NLMSG_ERROR: the errno (0 for a plain ack), the sequence number of the request it
 * answers, and the extended-ack TLVs (NLMSGERR_ATTR_MSG text, NLMSGERR_ATTR_OFFS offset of the
 * offending attribute in the request).
 *
 * <p>Layout (netlink.h, struct nlmsgerr): {@code int error; struct nlmsghdr msg;} then, unless the
 * ack is capped (NLM_F_CAPPED, which NETLINK_CAP_ACK asks for), the request's payload; then the
 * TLVs when NLM_F_ACK_TLVS is set.
 */
public record NetlinkAck(int error, int requestSeq, int requestType, String extAckMessage, int extAckOffset) {

    static final AttributeNames NAMES = AttributeNames.of(NetlinkConstants.class, "NLMSGERR_ATTR_");

    /** Parses an NLMSG_ERROR message. */
    public static NetlinkAck parse(NetlinkMessage m) {
        if (m.type() != NetlinkConstants.NLMSG_ERROR) {
            throw new IllegalArgumentException("not NLMSG_ERROR: type " + m.type());
        }
        ByteBuffer p = m.payloadView();
        int n = p.limit();
        if (n < 4 + NLMSG_HDRLEN) {
            throw new MalformedMessageException("NLMSG_ERROR: payload " + n + " bytes < " + (4 + NLMSG_HDRLEN));
        }
        int error = p.getInt(0);
        int origLen = p.getInt(4);
        int origType = p.getShort(8) & 0xffff;
        int origSeq = p.getInt(12);
        int tlvStart;
        if ((m.flags() & NLM_F_CAPPED) != 0 || error == 0) {
            // A success ack carries only the header (kernel netlink_ack: payload only echoed on error
            // and only without NETLINK_CAP_ACK).
            tlvStart = 4 + NLMSG_HDRLEN;
        } else {
            if (origLen < NLMSG_HDRLEN) {
                throw new MalformedMessageException("NLMSG_ERROR: echoed nlmsg_len " + origLen + " < " + NLMSG_HDRLEN);
            }
            tlvStart = 4 + NetlinkConstants.align(origLen);
        }
        String msg = null;
        int offs = -1;
        if ((m.flags() & NLM_F_ACK_TLVS) != 0 && tlvStart < n) {
            ByteBuffer region = p.duplicate().position(tlvStart).slice().order(ByteOrder.nativeOrder());
            Attributes tlvs = Attributes.parse(region, "NLMSG_ERROR", NAMES);
            msg = tlvs.string(NLMSGERR_ATTR_MSG).orElse(null);
            OptionalInt o = tlvs.u32(NLMSGERR_ATTR_OFFS);
            offs = o.isPresent() ? o.getAsInt() : -1;
        } else if ((m.flags() & NLM_F_ACK_TLVS) != 0 && tlvStart > n) {
            throw new MalformedMessageException("NLMSG_ERROR: echoed request of " + origLen + " bytes exceeds payload " + n);
        }
        return new NetlinkAck(error, origSeq, origType, msg, offs);
    }

    public boolean isSuccess() {
        return error == 0;
    }

    /** The positive errno, or 0. */
    public int errnoNumber() {
        return Math.abs(error);
    }

    public Optional<String> message() {
        return Optional.ofNullable(extAckMessage);
    }

    /** The typed exception for a failed ack, naming {@code operation}. */
    public KernelException toException(String operation) {
        if (error == 0) {
            throw new IllegalStateException("ack is a success");
        }
        return KernelException.of(Errno.of(errnoNumber()), operation, extAckMessage);
    }
}
