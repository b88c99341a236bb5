package dev.netlib.network;

import java.util.List;
import java.util.Optional;

/**
 * Where the network layer keeps its definitions (networks, endpoints, address and subnet claims):
 * a versioned key-value store with compare-and-swap, so two processes sharing it never both win
 * the same claim. Versions start at 1; version 0 means "absent" in {@link #compareAndPut}.
 *
 * <p>Implementations: {@link MemoryStateStore} (one JVM) and an adapter over the IPAM store
 * (local disk, etcd).
 */
public interface StateStore {

    /** One stored value and its version (incremented by every write). */
    record Entry(String key, String value, long version) {}

    Optional<Entry> get(String key);

    /** Every entry whose key starts with {@code prefix}, sorted by key. */
    List<Entry> list(String prefix);

    /**
     * Writes {@code value} if the key's current version is {@code expectedVersion} (0: the key
     * must be absent). Returns the new version, or -1 if the version did not match.
     */
    long compareAndPut(String key, String value, long expectedVersion);

    /** Deletes the key if its current version is {@code expectedVersion}; false if it did not match. */
    boolean compareAndDelete(String key, long expectedVersion);
}
