package dev.netlib.cluster;

import java.util.List;

/**
 * Receives a watch's changes, on a thread of the store, one call at a time and in revision order. A
 * listener must not block for long: the next events wait for it.
 */
public interface WatchListener {
    /** Changes of one revision (a transaction's writes come together). */
    void onEvents(List<WatchEvent> events);

    /**
     * The revision the watch wanted is gone from the store's history (compacted): the watch is over,
     * and the caller must read the current state again ({@link ClusterStore#range}) and watch anew.
     *
     * @param compactRevision the oldest revision the store still has
     */
    void onCompacted(long compactRevision);

    /** The watch ended for another reason (the store closed, or it failed for good); {@code cause} may be null. */
    void onClosed(Throwable cause);

    /**
     * The watch is alive; the store was at {@code revision}: the answer to {@link
     * Watch#requestProgress}, or a progress notification the store sends on its own (see there for
     * what the revision promises). Ignored unless overridden.
     */
    default void onProgress(long revision) {}
}
