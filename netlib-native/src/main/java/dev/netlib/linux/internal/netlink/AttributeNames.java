package dev.netlib.linux.internal.netlink;

/**
 * Names the attribute types of one kernel attribute space ({@code IFLA_*}, {@code IFLA_VXLAN_*})
 * so a malformed-message error can say {@code IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_PORT}.
 */
@FunctionalInterface
public interface AttributeNames {
    /** The kernel name of attribute {@code type} (flags already masked off). */
    String name(int type);

    /**
     * Names as {@code attr N}: for spaces nobody described. A class, not a lambda: this field is
     * made when the interface is first used, on a fresh JVM's first request, where a lambda would
     * cost ~1 ms (issue 13).
     */
    AttributeNames NUMERIC = new AttributeNames() {
        @Override
        public String name(int type) {
            return "attr " + type;
        }
    };

    /**
     * Names taken from the {@code public static final int} fields of {@code constants} whose name
     * starts with {@code prefix} (for example {@code IFLA_VXLAN_}); unknown numbers fall back to
     * {@code PREFIX?N}. If two fields share a value the first declared wins. The fields are read on
     * the first {@link #name} call, not here: names serve only error messages, and reflecting over
     * a constants class in every decoder's static initialiser was a visible part of a fresh JVM's
     * first request (issue 12).
     */
    static AttributeNames of(Class<?> constants, String prefix) {
        return new ReflectedAttributeNames(constants, prefix);
    }
}
