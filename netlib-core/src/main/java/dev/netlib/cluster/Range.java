package dev.netlib.cluster;

import java.util.List;

/**
 * A consistent read of every key under a prefix at one revision: watching from {@code revision + 1}
 * afterwards misses nothing and repeats nothing.
 *
 * @param revision the store revision the read saw
 * @param kvs the keys, in key order
 */
public record Range(long revision, List<KeyValue> kvs) {
    /** Copies the list. */
    public Range {
        kvs = List.copyOf(kvs);
    }
}
