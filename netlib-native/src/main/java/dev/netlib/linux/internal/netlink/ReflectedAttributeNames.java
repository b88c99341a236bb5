package dev.netlib.linux.internal.netlink;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/** {@link AttributeNames#of}: the names of a constants class's fields, read when first asked for. */
final class ReflectedAttributeNames implements AttributeNames {
    private final Class<?> constants;
    private final String prefix;
    private volatile Map<Integer, String> names;

    ReflectedAttributeNames(Class<?> constants, String prefix) {
        this.constants = constants;
        this.prefix = prefix;
    }

    @Override
    public String name(int type) {
        Map<Integer, String> m = names;
        if (m == null) {
            m = read(); // a race reads twice and keeps either: both are the same
            names = m;
        }
        String n = m.get(type);
        return n != null ? n : prefix + "?" + type;
    }

    private Map<Integer, String> read() {
        Map<Integer, String> found = new HashMap<>();
        for (Field f : constants.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class && f.getName().startsWith(prefix)) {
                try {
                    found.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    // not public: skip it
                }
            }
        }
        return Map.copyOf(found);
    }
}
