package dev.netlib.linux.internal.netlink;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLA_F_NESTED;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLA_HDRLEN;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_HDRLEN;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.align;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one or more netlink messages into one growable buffer (a batch for a single send).
 *
 * <p>Values are written in native byte order, as rtnetlink expects; the {@code ...Be} variants
 * write network order per call (VXLAN's UDP port, nf_tables values). Lengths of nested attributes
 * and of each message are back-patched when they are closed. The sequence number and port id of
 * each header are left 0 here: {@link NetlinkSocket} stamps them at send time.
 *
 * <p>Not thread-safe; one writer per request.
 */
public final class MessageWriter {
    private ByteBuffer buf;
    private int messageStart = -1;
    private final List<int[]> messages = new ArrayList<>(); // {offset, type, flags}
    private final List<Integer> openNests = new ArrayList<>();
    private boolean nestedFlag;

    public MessageWriter() {
        this(512);
    }

    public MessageWriter(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.nativeOrder());
    }

    /**
     * Whether {@link #beginNested(int)} sets NLA_F_NESTED on the type. iproute2 omits it for
     * rtnetlink; nftables sets it. Default off.
     */
    public MessageWriter nestedFlag(boolean on) {
        this.nestedFlag = on;
        return this;
    }

    // ---------------------------------------------------------------- messages

    /**
     * Starts a message with header type and flags (NLM_F_REQUEST is added); returns its index in
     * this batch (0, 1, ...). The struct that follows the header (ifinfomsg, nfgenmsg...) is
     * written with the {@code put} methods next.
     */
    public int beginMessage(int type, int flags) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message " + messages.size() + " not ended");
        }
        ensure(NLMSG_HDRLEN);
        messageStart = buf.position();
        buf.putInt(0).putShort((short) type).putShort((short) (flags | NetlinkConstants.NLM_F_REQUEST)).putInt(0).putInt(0);
        messages.add(new int[] {messageStart, type, flags | NetlinkConstants.NLM_F_REQUEST});
        return messages.size() - 1;
    }

    /** Ends the current message: pads it to 4 bytes and back-patches nlmsg_len. */
    public MessageWriter endMessage() {
        if (messageStart < 0) {
            throw new IllegalStateException("no message begun");
        }
        if (!openNests.isEmpty()) {
            throw new IllegalStateException(openNests.size() + " nested attribute(s) not ended");
        }
        padTo4();
        buf.putInt(messageStart, buf.position() - messageStart);
        messageStart = -1;
        return this;
    }

    /** Number of complete or begun messages. */
    public int messageCount() {
        return messages.size();
    }

    /** Byte offset of message {@code index} in the buffer. */
    public int messageOffset(int index) {
        return messages.get(index)[0];
    }

    public int messageType(int index) {
        return messages.get(index)[1];
    }

    public int messageFlags(int index) {
        return messages.get(index)[2];
    }

    /** Adds {@code flags} to the header of message {@code index} (already written). */
    public MessageWriter addFlags(int index, int flags) {
        int[] m = messages.get(index);
        m[2] |= flags;
        buf.putShort(m[0] + 6, (short) m[2]);
        return this;
    }

    /** Total bytes written so far. */
    public int size() {
        return buf.position();
    }

    // ---------------------------------------------------------------- struct fields

    public MessageWriter putU8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public MessageWriter putU16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public MessageWriter putU16Be(int v) {
        ensure(2);
        buf.put((byte) (v >>> 8)).put((byte) v);
        return this;
    }

    public MessageWriter putU32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public MessageWriter putU32Be(int v) {
        ensure(4);
        buf.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
        return this;
    }

    public MessageWriter putU64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    public MessageWriter putBytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    /** {@code n} zero bytes (struct padding or reserved fields). */
    public MessageWriter putZeros(int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) 0);
        }
        return this;
    }

    /** Zero bytes up to the next 4-byte boundary. */
    public MessageWriter padTo4() {
        int p = buf.position();
        return putZeros(align(p) - p);
    }

    // ---------------------------------------------------------------- attributes

    private MessageWriter attrHeader(int type, int payloadLen) {
        requireMessage();
        if (payloadLen + NLA_HDRLEN > 0xffff) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + payloadLen);
        }
        ensure(align(NLA_HDRLEN + payloadLen));
        buf.putShort((short) (NLA_HDRLEN + payloadLen)).putShort((short) type);
        return this;
    }

    public MessageWriter attrU8(int type, int v) {
        attrHeader(type, 1).buf.put((byte) v);
        return padTo4();
    }

    public MessageWriter attrU16(int type, int v) {
        attrHeader(type, 2).buf.putShort((short) v);
        return padTo4();
    }

    /** A u16 in network byte order (IFLA_VXLAN_PORT, ports in nf_tables). */
    public MessageWriter attrU16Be(int type, int v) {
        attrHeader(type, 2);
        buf.put((byte) (v >>> 8)).put((byte) v);
        return padTo4();
    }

    public MessageWriter attrU32(int type, int v) {
        attrHeader(type, 4).buf.putInt(v);
        return this;
    }

    /** A u32 in network byte order (nf_tables NFTA_* values). */
    public MessageWriter attrU32Be(int type, int v) {
        attrHeader(type, 4);
        buf.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
        return this;
    }

    public MessageWriter attrS32(int type, int v) {
        return attrU32(type, v);
    }

    public MessageWriter attrU64(int type, long v) {
        attrHeader(type, 8).buf.putLong(v);
        return this;
    }

    /** A u64 in network byte order (nf_tables handles). */
    public MessageWriter attrU64Be(int type, long v) {
        attrHeader(type, 8);
        for (int s = 56; s >= 0; s -= 8) {
            buf.put((byte) (v >>> s));
        }
        return this;
    }

    /** A NUL-terminated string (NLA_STRING / NLA_NUL_STRING: IFLA_IFNAME, IFLA_INFO_KIND). */
    public MessageWriter attrString(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        attrHeader(type, b.length + 1);
        buf.put(b).put((byte) 0);
        return padTo4();
    }

    /**
     * A string without the terminating NUL (NLA_STRING accepts both): iproute2 sends
     * IFLA_INFO_KIND this way.
     */
    public MessageWriter attrStringNoNul(int type, String s) {
        return attrBytes(type, s.getBytes(StandardCharsets.UTF_8));
    }

    public MessageWriter attrBytes(int type, byte[] b) {
        attrHeader(type, b.length);
        buf.put(b);
        return padTo4();
    }

    /** An attribute without payload (NLA_FLAG). */
    public MessageWriter attrFlag(int type) {
        attrHeader(type, 0);
        return this;
    }

    /**
     * Opens a nested attribute; returns a token for {@link #endNested(int)}. NLA_F_NESTED is added
     * when {@link #nestedFlag(boolean)} is on (or pass it in {@code type} yourself).
     */
    public int beginNested(int type) {
        requireMessage();
        ensure(NLA_HDRLEN);
        int start = buf.position();
        buf.putShort((short) 0).putShort((short) (nestedFlag ? type | NLA_F_NESTED : type));
        openNests.add(start);
        return start;
    }

    /** Closes the nested attribute opened with {@code token}, back-patching its length. */
    public MessageWriter endNested(int token) {
        if (openNests.isEmpty() || openNests.get(openNests.size() - 1) != token) {
            throw new IllegalStateException("endNested out of order: " + token + " open " + openNests);
        }
        openNests.remove(openNests.size() - 1);
        padTo4();
        int len = buf.position() - token;
        if (len > 0xffff) {
            throw new IllegalArgumentException("nested attribute too long: " + len);
        }
        buf.putShort(token, (short) len);
        return this;
    }

    // ---------------------------------------------------------------- output

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** A read-only view of the bytes written (position 0, limit = size), native order. */
    public ByteBuffer buffer() {
        ByteBuffer b = buf.duplicate();
        b.flip();
        return b.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** Writes {@code seq + index} and {@code pid} into every message header (done by the socket at send). */
    public void stamp(int firstSeq, int pid) {
        for (int i = 0; i < messages.size(); i++) {
            int off = messages.get(i)[0];
            buf.putInt(off + 8, firstSeq + i);
            buf.putInt(off + 12, pid);
        }
    }

    /**
     * Appends the complete messages of {@code other} (a change encoded on its own) to this batch.
     */
    public MessageWriter append(MessageWriter other) {
        if (messageStart >= 0 || other.messageStart >= 0) {
            throw new IllegalStateException("append with a message still open");
        }
        int base = buf.position();
        ensure(other.size());
        buf.put(other.buffer());
        for (int[] m : other.messages) {
            messages.add(new int[] {m[0] + base, m[1], m[2]});
        }
        return this;
    }

    /** True between {@link #beginMessage} and {@link #endMessage}. */
    public boolean inMessage() {
        return messageStart >= 0;
    }

    /** Drops everything written so the writer can be reused. */
    public MessageWriter reset() {
        buf.clear();
        messages.clear();
        openNests.clear();
        messageStart = -1;
        return this;
    }

    private void requireMessage() {
        if (messageStart < 0) {
            throw new IllegalStateException("attribute outside a message: call beginMessage first");
        }
    }

    private void ensure(int n) {
        if (buf.remaining() >= n + 3) {
            return;
        }
        int cap = Math.max(buf.capacity() * 2, buf.position() + n + 64);
        ByteBuffer bigger = ByteBuffer.allocate(cap).order(ByteOrder.nativeOrder());
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}
