package dev.netlib.overlay;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.LeaseNotFoundException;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Txn;
import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's lease: granted at start with the host's registration, kept alive every TTL/3, and
 * replaced when the store has lost it, with the registration written again under the new one.
 */
final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ClusterStore store;
    private final Duration ttl;
    private final HostId me;
    /** The keys that make up the host's registration (host record, then its adverts), bound to a lease. */
    private final LongFunction<List<Op>> registration;
    private volatile long lease;

    LeaseKeeper(ClusterStore store, Duration ttl, HostId me, LongFunction<List<Op>> registration) {
        this.store = store;
        this.ttl = ttl;
        this.me = me;
        this.registration = registration;
    }

    /** Grants the lease and writes the registration under it. */
    void register() {
        lease = store.grantLease(ttl);
        store.txn(Txn.when().then(registration.apply(lease)));
    }

    long lease() {
        return lease;
    }

    /** How often {@link #keepAlive} must run: a third of the TTL, so two lost keep-alives are survived. */
    long keepAliveMillis() {
        return Math.max(200, ttl.toMillis() / 3);
    }

    void keepAlive() {
        try {
            store.keepAlive(lease);
        } catch (LeaseNotFoundException gone) {
            reRegister();
        } catch (ClusterStoreException unreachable) {
            LOG.warn("overlay agent {}: lease keep-alive failed ({}); retrying", me, unreachable.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("overlay agent {}: lease keep-alive failed", me, e);
        }
    }

    /**
     * The lease expired while this host was cut off: a new lease, then the host record and every
     * local endpoint again, in one transaction, so the others re-program them (with replace).
     */
    private void reRegister() {
        long fresh = store.grantLease(ttl);
        long old = lease;
        lease = fresh;
        List<Op> ops = registration.apply(fresh);
        store.txn(Txn.when().then(ops));
        LOG.warn("overlay agent {}: lease {} was lost; re-registered under lease {} with {} endpoint(s)", me,
                Long.toHexString(old), Long.toHexString(fresh), ops.size() - 1);
    }

    /** Revokes the lease, so every other host withdraws this host's keys at once. */
    void revoke() {
        try {
            store.revokeLease(lease);
        } catch (ClusterStoreException e) {
            LOG.warn("overlay agent {}: could not revoke lease {} ({}); its keys expire within {} s", me, Long.toHexString(lease), e.getMessage(),
                    ttl.toSeconds());
        }
    }

    long ttlSeconds() {
        return ttl.toSeconds();
    }
}
