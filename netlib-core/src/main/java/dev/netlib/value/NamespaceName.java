package dev.netlib.value;

import dev.netlib.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;

/**
 * Named network namespace rules: the name becomes a file under {@code /var/run/netns}, so it must be
 * one path component that cannot escape that directory: not empty, not {@code .} or {@code ..}, no
 * {@code /} and no NUL, at most 255 bytes (NAME_MAX).
 */
public final class NamespaceName {
    /** NAME_MAX from limits.h. */
    public static final int MAX_BYTES = 255;

    private NamespaceName() {}

    /** Returns {@code name} if it is a valid namespace name (a file name under /var/run/netns), else throws {@link dev.netlib.error.InvalidConfigException}. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidConfigException("namespace name is empty; allowed: 1 to 255 bytes, no '/' or NUL, not '.' or '..'");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidConfigException("namespace name '" + name + "' would escape /var/run/netns; '.' and '..' are not allowed");
        }
        if (name.indexOf('/') >= 0) {
            throw new InvalidConfigException("namespace name '" + name + "' contains '/'; it must be a single file name under /var/run/netns");
        }
        if (name.indexOf('\0') >= 0) {
            throw new InvalidConfigException("namespace name contains a NUL byte; allowed: 1 to 255 bytes, no '/' or NUL");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidConfigException("namespace name is " + bytes + " bytes long; allowed: at most 255 (NAME_MAX)");
        }
        return name;
    }
}
