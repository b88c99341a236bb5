package dev.netlib.cluster;

import java.util.Objects;

/** One write of a {@link Txn}: a put (optionally bound to a lease), a delete, or a delete of a prefix. */
public sealed interface Op permits Op.Put, Op.Delete, Op.DeletePrefix {
    /**
     * Writes {@code value} under {@code key}; {@code lease} 0 for a durable key.
     *
     * @param key the full key
     * @param value the value
     * @param lease the lease to bind the key to, 0 for none
     */
    record Put(String key, String value, long lease) implements Op {
        /** Checks the fields. */
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Deletes {@code key}; nothing happens if it is absent.
     *
     * @param key the full key
     */
    record Delete(String key) implements Op {
        /** Checks the field. */
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Deletes every key starting with {@code prefix}.
     *
     * @param prefix a non-empty key prefix
     */
    record DeletePrefix(String prefix) implements Op {
        /** Checks the field. */
        public DeletePrefix {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("a prefix delete needs a non-empty prefix");
            }
        }
    }

    /** A durable put. */
    static Op put(String key, String value) {
        return new Put(key, value, 0);
    }

    /** A put bound to {@code lease}: the key goes when the lease expires or is revoked. */
    static Op put(String key, String value, long lease) {
        return new Put(key, value, lease);
    }

    /** A delete of one key. */
    static Op delete(String key) {
        return new Delete(key);
    }

    /** A delete of every key under {@code prefix}. */
    static Op deletePrefix(String prefix) {
        return new DeletePrefix(prefix);
    }
}
