package dev.netlib.cluster;

import java.util.Objects;

/**
 * One change seen by a watch. For a delete, {@code kv} carries the key and the delete's revision (as
 * its mod revision) and an empty value; {@code prev} is the value before the change when the store
 * knows it (null otherwise).
 *
 * @param type put or delete
 * @param kv the key after the change
 * @param prev the key before the change, or null
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prev) {
    /** What happened to the key. */
    public enum Type {
        /** Created or overwritten. */
        PUT,
        /** Deleted, by a call or by its lease expiring. */
        DELETE
    }

    /** Checks the fields. */
    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kv, "kv");
    }
}
