package dev.netlib.linux.internal.netlink;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_HDRLEN;

import dev.netlib.error.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a datagram received from a netlink socket into its messages, bounds-checked: a length
 * below the header size or beyond the end of the data is a {@link MalformedMessageException},
 * never an endless loop or a read past the end.
 */
public final class MessageReader {
    private MessageReader() {}

    /** The messages in {@code data[0, length)}. */
    public static List<NetlinkMessage> split(ByteBuffer data, int length) {
        if (length < 0 || length > data.capacity()) {
            throw new MalformedMessageException("datagram length " + length + " outside buffer of " + data.capacity());
        }
        ByteBuffer b = data.duplicate().order(ByteOrder.nativeOrder());
        b.limit(length).position(0);
        List<NetlinkMessage> out = new ArrayList<>();
        int off = 0;
        while (length - off >= NLMSG_HDRLEN) {
            int len = b.getInt(off);
            int type = b.getShort(off + 4) & 0xffff;
            int flags = b.getShort(off + 6) & 0xffff;
            int seq = b.getInt(off + 8);
            int pid = b.getInt(off + 12);
            if (len < NLMSG_HDRLEN || len > length - off) {
                throw new MalformedMessageException("message " + out.size() + " at offset " + off + " (type " + type
                        + "): nlmsg_len " + Integer.toUnsignedString(len) + " outside [" + NLMSG_HDRLEN + ", "
                        + (length - off) + "]");
            }
            ByteBuffer payload = b.duplicate().position(off + NLMSG_HDRLEN).limit(off + len).slice().order(ByteOrder.nativeOrder());
            out.add(new NetlinkMessage(type, flags, seq, pid, payload));
            int next = off + NetlinkConstants.align(len);
            if (next <= off) {
                break; // cannot happen with len >= 16, but never loop forever
            }
            off = next;
        }
        if (off < length) {
            // A tail too short for a header: the kernel never sends one.
            throw new MalformedMessageException("trailing " + (length - off) + " bytes after " + out.size()
                    + " message(s): too short for a netlink header");
        }
        return out;
    }

    /** The messages in a whole byte array (tests, golden fixtures). */
    public static List<NetlinkMessage> split(byte[] data) {
        return split(ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()), data.length);
    }
}
