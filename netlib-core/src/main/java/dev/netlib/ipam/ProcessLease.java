package dev.netlib.ipam;

/**
 * An optional capability of an {@link IpamStore} that several hosts share: a lease on the store
 * that this process holds and keeps alive while it lives, and a way to ask whether another
 * process's lease still exists. The network layer writes the lease's id into the owner of every
 * operation it runs on such a store (its pending note, its address and subnet leases), so that a
 * process on any host can tell work whose process died (its lease expired or was revoked) from work
 * in progress, where process ids and /proc say nothing about another machine.
 *
 * <p>A store that does not implement this leaves owners of other machines' operations unprovable;
 * the network layer then assumes them alive on a shared store.
 */
public interface ProcessLease {
    /**
     * The id of this process's lease on the store, granted on first use and kept alive until the
     * store is closed; a lease that was lost (the store unreachable for longer than its time to live)
     * is replaced by a new one.
     *
     * @return a non-zero lease id
     * @throws IpamStoreException when the store cannot grant one
     */
    long processLease();

    /**
     * Whether the lease {@code lease} still exists: its holder kept it alive and did not close.
     *
     * @param lease a lease id another process wrote
     * @return false once the lease expired or was revoked
     * @throws IpamStoreException when the store cannot be asked (then nothing may be concluded)
     */
    boolean leaseExists(long lease);
}
