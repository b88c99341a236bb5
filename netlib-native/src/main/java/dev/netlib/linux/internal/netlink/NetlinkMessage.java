package dev.netlib.linux.internal.netlink;

import dev.netlib.error.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One received netlink message: its header fields and its payload (everything after the 16-byte
 * header, up to nlmsg_len) as a native-order buffer positioned at 0. The payload is a view into
 * the receive buffer: copy what you keep after the next receive.
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {

    /** Payload length in bytes. */
    public int payloadLength() {
        return payload.limit();
    }

    /** A fresh duplicate of the payload positioned at 0 (each reader gets its own position). */
    public ByteBuffer payloadView() {
        return payload.duplicate().order(ByteOrder.nativeOrder()).position(0);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * The attributes that follow a fixed-size family header (ifinfomsg is 16 bytes, ifaddrmsg 8,
     * nfgenmsg 4); {@code path} names the message for errors, e.g. {@code RTM_NEWLINK}.
     */
    public Attributes attributes(int familyHeaderLength, String path, AttributeNames names) {
        if (payloadLength() < familyHeaderLength) {
            throw new MalformedMessageException(path + ": payload " + payloadLength() + " bytes < family header "
                    + familyHeaderLength);
        }
        int start = NetlinkConstants.align(familyHeaderLength);
        if (start > payloadLength()) {
            start = payloadLength();
        }
        ByteBuffer region = payload.duplicate().order(ByteOrder.nativeOrder()).position(start).slice().order(ByteOrder.nativeOrder());
        return Attributes.parse(region, path, names);
    }

    /** Deep copy (so the message survives the next receive into the shared buffer). */
    public NetlinkMessage copy() {
        ByteBuffer c = ByteBuffer.allocate(payloadLength()).order(ByteOrder.nativeOrder());
        c.put(payloadView());
        c.flip();
        return new NetlinkMessage(type, flags, seq, pid, c);
    }
}
