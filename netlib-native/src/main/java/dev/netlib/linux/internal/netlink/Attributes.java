package dev.netlib.linux.internal.netlink;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLA_HDRLEN;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLA_TYPE_MASK;

import dev.netlib.error.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attributes of one region (a message after its family header, or a nested attribute),
 * parsed eagerly and bounds-checked. All attributes are kept in order, known or not
 * ({@link #all()}); lookups return the first attribute of a type (the kernel sends each once,
 * except lists such as IFLA_AF_SPEC entries, read with {@link #allOf(int)}).
 */
public final class Attributes {
    private final List<Attribute> list;
    /** The path of a top-level region; null for a nested one, whose path is its parent's. */
    private final String rootPath;
    private final Attribute parent;

    private Attributes(List<Attribute> list, String rootPath, Attribute parent) {
        this.list = list;
        this.rootPath = rootPath;
        this.parent = parent;
    }

    /**
     * Parses {@code region} (position 0 to limit) into attributes. A header that does not fit, a
     * length below 4 or past the end of the region is a {@link MalformedMessageException} naming
     * the path. Trailing bytes shorter than a header are tolerated (alignment padding).
     */
    public static Attributes parse(ByteBuffer region, String path, AttributeNames names) {
        return parse(region, path, null, names);
    }

    /** Parses the value of {@code parent} (then {@code rootPath} is null) or a top-level region. */
    static Attributes parse(ByteBuffer region, String rootPath, Attribute parent, AttributeNames names) {
        ByteBuffer b = region.duplicate().order(ByteOrder.nativeOrder());
        int end = b.limit();
        int off = 0;
        List<Attribute> out = new ArrayList<>();
        Attributes parsed = new Attributes(Collections.unmodifiableList(out), rootPath, parent);
        while (end - off >= NLA_HDRLEN) {
            int len = b.getShort(off) & 0xffff;
            int rawType = b.getShort(off + 2) & 0xffff;
            int type = rawType & NLA_TYPE_MASK;
            if (len < NLA_HDRLEN) {
                throw new MalformedMessageException(parsed.path() + "/" + names.name(type) + ": attribute length " + len + " < " + NLA_HDRLEN);
            }
            if (len > end - off) {
                throw new MalformedMessageException(parsed.path() + "/" + names.name(type) + ": attribute length " + len + " exceeds the "
                        + (end - off) + " bytes left");
            }
            ByteBuffer value = b.duplicate().position(off + NLA_HDRLEN).limit(off + len).slice().order(ByteOrder.nativeOrder());
            out.add(new Attribute(type, rawType & ~NLA_TYPE_MASK, value, parsed, names));
            off += NetlinkConstants.align(len); // len >= 4: always progresses
        }
        return parsed;
    }

    /** Every attribute in order, including the ones no decoder knows. */
    public List<Attribute> all() {
        return list;
    }

    /** Where this region is, for error messages ({@code RTM_NEWLINK/IFLA_LINKINFO}); put together when asked for. */
    public String path() {
        return parent != null ? parent.path() : rootPath;
    }

    public boolean has(int type) {
        return find(type).isPresent();
    }

    public Optional<Attribute> find(int type) {
        for (Attribute a : list) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public List<Attribute> allOf(int type) {
        List<Attribute> r = new ArrayList<>();
        for (Attribute a : list) {
            if (a.type() == type) {
                r.add(a);
            }
        }
        return r;
    }

    /** The attribute of {@code type}, or a malformed-message error saying it is missing. */
    public Attribute require(int type, AttributeNames names) {
        Optional<Attribute> a = find(type);
        if (a.isEmpty()) {
            throw new MalformedMessageException(path() + "/" + names.name(type) + ": missing");
        }
        return a.get();
    }

    // The accessors test isPresent() instead of mapping with a lambda: every message decode runs
    // them, from a program's first request on, and each lambda site costs ~1 ms the first time it
    // runs in a fresh JVM (issue 13).

    public OptionalInt u8(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalInt.of(a.get().u8()) : OptionalInt.empty();
    }

    public OptionalInt u16(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalInt.of(a.get().u16()) : OptionalInt.empty();
    }

    public OptionalInt u16Be(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalInt.of(a.get().u16Be()) : OptionalInt.empty();
    }

    public OptionalInt u32(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalInt.of(a.get().u32()) : OptionalInt.empty();
    }

    public OptionalInt u32Be(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalInt.of(a.get().u32Be()) : OptionalInt.empty();
    }

    public OptionalInt s32(int type) {
        return u32(type);
    }

    public OptionalLong u64(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalLong.of(a.get().u64()) : OptionalLong.empty();
    }

    public OptionalLong u64Be(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? OptionalLong.of(a.get().u64Be()) : OptionalLong.empty();
    }

    public Optional<String> string(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? Optional.of(a.get().string()) : Optional.empty();
    }

    public Optional<byte[]> bytes(int type) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? Optional.of(a.get().bytes()) : Optional.empty();
    }

    /** The nested attributes under {@code type}, when present. */
    public Optional<Attributes> nested(int type, AttributeNames names) {
        Optional<Attribute> a = find(type);
        return a.isPresent() ? Optional.of(a.get().nested(names)) : Optional.empty();
    }

    public int size() {
        return list.size();
    }

    @Override
    public String toString() {
        return path() + list;
    }
}
