package dev.netlib.cluster;

import java.util.Objects;

/**
 * A key as the cluster store holds it, with etcd's bookkeeping: {@code createRevision} and {@code
 * modRevision} are store revisions (cluster-wide, increasing, never reused), {@code version} counts
 * the writes since the key was created (1 after the first put), and {@code lease} is the lease the key
 * is bound to (0: none).
 *
 * @param key the full key, prefix included
 * @param value the value, UTF-8 text
 * @param createRevision the revision that created the key
 * @param modRevision the revision of the last write
 * @param version writes since creation, from 1
 * @param lease the lease id, 0 for none
 */
public record KeyValue(String key, String value, long createRevision, long modRevision, long version, long lease) {
    /** Checks the fields. */
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
