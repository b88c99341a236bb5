package dev.netlib.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * The store several hosts share: etcd's data model (revisions, transactions, leases, watches) and
 * nothing more, so the etcd implementation is a thin translation and the in-memory one can mimic it
 * exactly.
 *
 * <ul>
 *   <li>Every successful write moves the store's revision on by one; a key remembers the revision
 *       that created it and the one that last changed it.
 *   <li>{@link #txn} writes all or nothing under compares on version or mod revision: the one tool
 *       for compare-and-swap and for unique names.
 *   <li>A lease expires when it has not been kept alive for its TTL; its keys are then deleted, each
 *       delete seen by watchers like any other.
 *   <li>A watch from a revision delivers every change from that revision on, in order, or reports
 *       that the revision was compacted away.
 * </ul>
 *
 * <p>Keys are plain strings; implementations put nothing in front of them (a caller that wants a
 * prefix, like the overlay's {@code netlib/v1/}, builds it into its keys). Errors: {@link
 * ClusterStoreException} when the store cannot be reached, {@link LeaseNotFoundException} for a lease
 * that is gone.
 *
 * <p>Implementations: {@link MemoryClusterStore} (one JVM, for tests), and {@code EtcdClusterStore}
 * in the optional {@code netlib-etcd} module.
 */
public interface ClusterStore extends AutoCloseable {

    /** The key's current value, or empty. Equivalent to: {@code etcdctl get KEY}. */
    Optional<KeyValue> get(String key);

    /** Every key under {@code prefix} at one revision. Equivalent to: {@code etcdctl get --prefix PREFIX}. */
    Range range(String prefix);

    /** Runs an all-or-nothing write. Equivalent to: {@code etcdctl txn}. */
    TxnResult txn(Txn txn);

    /** Grants a lease of {@code ttl} (whole seconds, at least 1). Equivalent to: {@code etcdctl lease grant TTL}. */
    long grantLease(Duration ttl);

    /**
     * Renews a lease once.
     *
     * @return the TTL the lease now has left
     * @throws LeaseNotFoundException if it expired or was revoked
     */
    Duration keepAlive(long lease);

    /** Revokes a lease, deleting its keys at once; an unknown lease is not an error. Equivalent to: {@code etcdctl lease revoke ID}. */
    void revokeLease(long lease);

    /**
     * Watches every key under {@code prefix} from revision {@code fromRevision} on (inclusive).
     * Equivalent to: {@code etcdctl watch --prefix --rev=REV --prev-kv PREFIX}.
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /** Drops the history before {@code revision}; watches from older revisions get {@link WatchListener#onCompacted}. Equivalent to: {@code etcdctl compact REV}. */
    void compact(long revision);

    /** A short description for messages, e.g. {@code etcd http://10.0.0.1:2379}. */
    String describe();

    /** Releases connections and threads; leases of this client are not revoked (they expire on their own). */
    @Override
    void close();

    /** Writes {@code value} under {@code key} unconditionally; returns the revision. Equivalent to: {@code etcdctl put KEY VALUE}. */
    default long put(String key, String value) {
        return txn(Txn.when().then(Op.put(key, value))).revision();
    }

    /** Deletes {@code key} unconditionally; returns the revision. Equivalent to: {@code etcdctl del KEY}. */
    default long delete(String key) {
        return txn(Txn.when().then(Op.delete(key))).revision();
    }
}
