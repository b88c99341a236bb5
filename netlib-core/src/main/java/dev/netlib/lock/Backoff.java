package dev.netlib.lock;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The pause between two tries of an optimistic write that lost to another writer (a compare-and-set
 * on a store record, an nf_tables batch whose generation moved): random, so that writers that
 * collided fall out of step instead of colliding again, and growing with the tries, so that many
 * writers spread out further. Used by the IP pools, the subnet registry, the network layer's port
 * changes and the Linux backend's nf_tables changes.
 */
public final class Backoff {
    private Backoff() {}

    /**
     * Parks the calling thread for a random while of up to {@code min(capMicros, baseMicros *
     * 2^attempt)} microseconds; not at all before try {@code firstPaused} (a single concurrent
     * writer is the common case, and its record is worth reading again at once).
     *
     * @param attempt the try that just failed, from 1
     * @param firstPaused the first try after which to pause
     * @param baseMicros the longest pause after try 0, doubling with each try
     * @param capMicros the longest pause at all
     * @return true if it paused
     */
    public static boolean pause(int attempt, int firstPaused, long baseMicros, long capMicros) {
        if (attempt < firstPaused) {
            return false;
        }
        long longest = Math.min(capMicros, baseMicros << Math.min(attempt, 30));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(longest + 1) * 1000);
        return true;
    }
}
