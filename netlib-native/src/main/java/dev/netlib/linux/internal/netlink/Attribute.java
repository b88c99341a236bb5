package dev.netlib.linux.internal.netlink;

import dev.netlib.error.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One netlink attribute: its type (flags NLA_F_NESTED / NLA_F_NET_BYTEORDER masked off and kept
 * separately), its value bytes, and its path for error messages
 * ({@code RTM_NEWLINK/IFLA_LINKINFO/IFLA_INFO_KIND}). Getters check the value's size. The path is
 * put together only when asked for (an error): building it for every attribute of every reply was
 * string work on every decode, and the first one reflected over the constants class (issue 12).
 */
public final class Attribute {
    private final int type;
    private final int flagBits;
    private final ByteBuffer value;
    private final Attributes owner;
    private final AttributeNames names;

    /** An attribute of {@code type} in {@code owner}, named by {@code names} in messages. */
    Attribute(int type, int flagBits, ByteBuffer value, Attributes owner, AttributeNames names) {
        this.type = type;
        this.flagBits = flagBits;
        this.value = value;
        this.owner = owner;
        this.names = names;
    }

    /** The type, flags masked off. */
    public int type() {
        return type;
    }

    /** NLA_F_NESTED / NLA_F_NET_BYTEORDER as sent. */
    public int flagBits() {
        return flagBits;
    }

    /** The value bytes (position 0 to length). */
    public ByteBuffer value() {
        return value;
    }

    /** Where it is, for error messages: {@code RTM_NEWLINK/IFLA_LINKINFO/IFLA_INFO_KIND}. */
    public String path() {
        return owner.path() + "/" + names.name(type);
    }

    public int length() {
        return value.limit();
    }

    public boolean isNested() {
        return (flagBits & NetlinkConstants.NLA_F_NESTED) != 0;
    }

    private ByteBuffer v() {
        return value.duplicate().order(ByteOrder.nativeOrder()).position(0);
    }

    private void need(int n) {
        if (length() < n) {
            throw new MalformedMessageException(path() + ": length " + length() + " < " + n);
        }
    }

    public int u8() {
        need(1);
        return value.get(0) & 0xff;
    }

    public int u16() {
        need(2);
        return v().getShort(0) & 0xffff;
    }

    public int u16Be() {
        need(2);
        return ((value.get(0) & 0xff) << 8) | (value.get(1) & 0xff);
    }

    /** u32 in host order (returned as a Java int: use {@link Integer#toUnsignedLong} when it matters). */
    public int u32() {
        need(4);
        return v().getInt(0);
    }

    public int u32Be() {
        need(4);
        return v().order(ByteOrder.BIG_ENDIAN).getInt(0);
    }

    public int s32() {
        return u32();
    }

    public long u64() {
        need(8);
        return v().getLong(0);
    }

    public long u64Be() {
        need(8);
        return v().order(ByteOrder.BIG_ENDIAN).getLong(0);
    }

    /** The value as a string up to the first NUL (or the whole value when it has none). */
    public String string() {
        byte[] b = bytes();
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** A copy of the value bytes. */
    public byte[] bytes() {
        byte[] b = new byte[length()];
        v().get(b);
        return b;
    }

    /** The value parsed as nested attributes named by {@code names}. */
    public Attributes nested(AttributeNames nestedNames) {
        return Attributes.parse(v().slice().order(ByteOrder.nativeOrder()), null, this, nestedNames);
    }

    @Override
    public String toString() {
        return path() + "(" + type + ", " + length() + " bytes)";
    }
}
