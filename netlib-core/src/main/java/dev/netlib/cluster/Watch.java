package dev.netlib.cluster;

/** A running watch; {@link #close()} stops it (no more listener calls after it returns). */
public interface Watch extends AutoCloseable {
    /** Stops the watch. */
    @Override
    void close();

    /**
     * Asks the store to confirm that this watch is alive: the listener's {@link
     * WatchListener#onProgress} follows with the store's revision. A watcher that hears neither
     * events nor progress for long knows its watch is stalled (a stream that stays open but delivers
     * nothing) and can watch anew. Take the answer as a sign of life, not as a fence: etcd before
     * 3.4.24 / 3.5.8 may answer while events of earlier revisions are still on their way (etcd
     * #15220); the in-memory store answers after them. Returns at once; the answer comes on the
     * watch's thread. Equivalent to: etcd's {@code WatchRequest{progress_request}} ({@code
     * clientv3.Watcher.RequestProgress}).
     */
    void requestProgress();
}
