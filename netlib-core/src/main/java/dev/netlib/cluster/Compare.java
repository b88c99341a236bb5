package dev.netlib.cluster;

import java.util.Objects;

/**
 * One condition of a {@link Txn}: the key's version or mod revision equals a number. A key that does
 * not exist has version 0 and mod revision 0, so {@code version(key, 0)} means "absent" (etcd's
 * {@code Compare{target: VERSION, result: EQUAL}}).
 *
 * @param key the full key
 * @param target what of the key is compared
 * @param expected the number it must equal
 */
public record Compare(String key, Target target, long expected) {
    /** What a {@link Compare} looks at, by etcd's names. */
    public enum Target {
        /** Writes since creation; 0 when absent. */
        VERSION,
        /** Revision of the last write; 0 when absent. */
        MOD_REVISION
    }

    /** Checks the fields. */
    public Compare {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
    }

    /** The key's version equals {@code version} (0: the key is absent). */
    public static Compare version(String key, long version) {
        return new Compare(key, Target.VERSION, version);
    }

    /** The key is absent. */
    public static Compare absent(String key) {
        return version(key, 0);
    }

    /** The key's last write was at {@code revision}. */
    public static Compare modRevision(String key, long revision) {
        return new Compare(key, Target.MOD_REVISION, revision);
    }

    /** True if {@code current} (null: absent) satisfies this condition. */
    public boolean test(KeyValue current) {
        long actual = current == null ? 0 : target == Target.VERSION ? current.version() : current.modRevision();
        return actual == expected;
    }
}
