package dev.netlib.network;

import dev.netlib.ipam.Versioned;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Locks in the host's local store, across processes: a key under {@code network/busy/} holds the
 * {@link Owner} of the operation at work.
 *
 * <p>{@code network/busy/containers/CONTAINER}: one operation at a time on a container's
 * namespace, a connect, a disconnect or the container's deletion, as dockerd holds a container's lock. Operations
 * on one container share what no compare-and-set of a record can guard: the free interface names
 * and the default route inside the namespace, the container's hosts file, and the endpoint record
 * a removal deletes and must be able to put back if it fails. Without it, a disconnect handing
 * the default route over missed a connect to another network at the same moment (the container
 * was left without one), two connects chose the same ethN, and a connect re-created the record a
 * failing disconnect then could not put back.
 *
 * <p>A lock whose owner died is taken over ({@link Liveness}), so a killed process never blocks
 * the container; a live one is waited for, up to {@link #WAIT_NANOS}. Operations on other
 * containers never wait.
 *
 * <p>{@code network/busy/reconcile}: one reconcile pass at a time. A pass's repairs carry no note
 * (they are not operations another process could finish), so a second pass at the same moment saw
 * them half done, as leftovers: it deleted the temporary file of a hosts file being repaired, or
 * re-created what the first was removing.
 *
 * <p>Reconcile reports (and deletes) locks whose owners are gone.
 */
final class StoreLock {
    static final String PREFIX = State.ROOT + "busy/";
    static final String RECONCILE = PREFIX + "reconcile";
    /** How long an operation waits for another process's operation on the same container. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private StoreLock() {}

    static String container(String container) {
        return PREFIX + "containers/" + container;
    }

    /** Runs {@code body} holding the lock of {@code container} (in {@code local}), for {@code operation}. */
    static <T> T container(State local, String container, String operation, Supplier<T> body) {
        return holding(local, container(container), operation, body);
    }

    /** Runs {@code body} holding the lock {@code key} (in {@code local}), for {@code operation}. */
    static <T> T holding(State local, String key, String operation, Supplier<T> body) {
        Owner owner = Liveness.begin(local.store());
        try {
            long version = take(local, key, owner, operation);
            try {
                return body.get();
            } finally {
                // only the version written here: one taken over meanwhile (never while this owner
                // lives) is the new owner's
                local.forceDelete(key, version);
            }
        } finally {
            Liveness.end(owner);
        }
    }

    private static long take(State local, String key, Owner owner, String operation) {
        // free, as it is almost always: one request
        OptionalLong free = local.store().compareAndSet(key, 0, owner.encode());
        if (free.isPresent()) {
            return free.getAsLong();
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (int poll = 1; ; poll++) {
            Optional<Versioned> held = local.store().get(key);
            OptionalLong v;
            Owner holder = held.map(h -> decode(key, h)).orElse(null);
            if (held.isEmpty()) {
                v = local.store().compareAndSet(key, 0, owner.encode());
            } else if (holder == null || !Liveness.alive(holder, local)) {
                v = local.store().compareAndSet(key, held.get().version(), owner.encode()); // a dead owner's: taken over
            } else {
                if (System.nanoTime() > deadline) {
                    throw new ConcurrentChangeException(operation + ": another process has held " + key + " for "
                            + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s (" + holder.encode() + "); retry");
                }
                LockSupport.parkNanos(Math.min(20, poll) * 250_000L);
                continue;
            }
            if (v.isPresent()) {
                return v.getAsLong();
            }
        }
    }

    /** The owner a lock names; null if it cannot be read (taken over, and reported by reconcile). */
    static Owner decode(String key, Versioned lock) {
        try {
            return Owner.decode(key, lock.value());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
