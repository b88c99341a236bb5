package dev.netlib.overlay;

import java.util.concurrent.TimeUnit;

/**
 * The store revision up to which watched changes have marked their networks dirty. It only moves
 * forward: the watch delivers events in revision order, and a snapshot holds every change up to its
 * revision.
 */
final class MarkedRevision {
    private long revision;

    /** Every change up to {@code revision} has marked its networks. */
    synchronized void reached(long revision) {
        if (revision > this.revision) {
            this.revision = revision;
            notifyAll();
        }
    }

    /**
     * Waits until every change up to {@code revision} has marked its networks.
     *
     * @throws OverlayException if that takes longer than {@code timeoutMs}, or the wait is interrupted
     */
    synchronized void await(long revision, long timeoutMs, HostId me) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (this.revision < revision) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                throw new OverlayException("overlay agent " + me + ": the watch did not deliver revision " + revision + " within " + timeoutMs / 1000 + " s");
            }
            try {
                wait(leftMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OverlayException("interrupted while waiting for overlay agent " + me + "'s watch", e);
            }
        }
    }
}
