package dev.netlib.value;

import dev.netlib.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;

/**
 * Interface name rules of the kernel's {@code dev_valid_name()}: 1 to 15 bytes (IFNAMSIZ 16 with
 * the NUL), not {@code .} or {@code ..}, no {@code /}, {@code :} or whitespace; and no {@code %}:
 * the kernel reads a name holding {@code %d} as a template and picks the name itself
 * ({@code dev_get_valid_name()} calls {@code dev_alloc_name()} when the name contains '%'), so
 * {@code ip link add x%d type bridge} makes {@code x0} and netlib would then track a name that does not exist.
 */
public final class InterfaceName {
    /** IFNAMSIZ - 1. */
    public static final int MAX_BYTES = 15;

    private InterfaceName() {}

    /** Returns {@code name} if the kernel would accept it; otherwise says what is allowed. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidConfigException("interface name is empty; allowed: 1 to 15 bytes without '/', ':', '%' or whitespace");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidConfigException("interface name '" + name + "' is " + bytes + " bytes long; allowed: at most 15 (IFNAMSIZ 16 with the NUL)");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidConfigException("interface name '" + name + "' is not allowed: '.' and '..' are reserved");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == '%' || Character.isWhitespace(c) || c == 0) {
                throw new InvalidConfigException("interface name '" + name + "' contains " + describe(c)
                        + "; allowed: 1 to 15 bytes without '/', ':', '%' or whitespace");
            }
        }
        return name;
    }

    static String describe(char c) {
        return switch (c) {
            case '/' -> "'/'";
            case ':' -> "':'";
            case '%' -> "'%' (the kernel would treat the name as a template such as %d and pick another name)";
            case 0 -> "a NUL byte";
            default -> "whitespace";
        };
    }
}
