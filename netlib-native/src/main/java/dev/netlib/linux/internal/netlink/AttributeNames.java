package dev.netlib.linux.internal.netlink;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Names the attribute types of one kernel attribute space ({@code IFLA_*}, {@code IFLA_VXLAN_*})
 * so a malformed-message error can say {@code IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_PORT}.
 */
@FunctionalInterface
public interface AttributeNames {
    /** The kernel name of attribute {@code type} (flags already masked off). */
    String name(int type);

    /** Names as {@code attr N}: for spaces nobody described. */
    AttributeNames NUMERIC = type -> "attr " + type;

    /**
     * Names taken from the {@code public static final int} fields of {@code constants} whose name
     * starts with {@code prefix} (for example {@code IFLA_VXLAN_}); unknown numbers fall back to
     * {@code PREFIX?N}. If two fields share a value the first declared wins.
     */
    static AttributeNames of(Class<?> constants, String prefix) {
        Map<Integer, String> names = new HashMap<>();
        for (Field f : constants.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class && f.getName().startsWith(prefix)) {
                try {
                    names.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    // not public: skip it
                }
            }
        }
        Map<Integer, String> frozen = Map.copyOf(names);
        return type -> {
            String n = frozen.get(type);
            return n != null ? n : prefix + "?" + type;
        };
    }
}
