package dev.netlib.overlay;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.Txn;
import dev.netlib.cluster.TxnResult;
import dev.netlib.cluster.Watch;
import dev.netlib.cluster.WatchEvent;
import dev.netlib.cluster.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store whose watches can be made to fail the ways a real one's do, everything else going to the
 * store it wraps:
 *
 * <ul>
 *   <li>{@link #stallWatches()}: every watch open at that moment stays open but delivers nothing (no
 *       event, no progress answer, no end), as a stream behind a dead proxy would. Watches opened
 *       later work.
 *   <li>{@link #lagWatches()} then {@link #catchUpFrom(long)}: every watch open falls behind (its
 *       events are lost; progress answers still come, as the stream is alive), then is served again
 *       from an old revision, as a store serves a watcher it could not keep up with: if the store has
 *       compacted that revision meanwhile, the watch's listener hears of the compaction.
 * </ul>
 */
final class WatchFaultStore implements ClusterStore {
    private final ClusterStore store;
    private final Set<FaultyWatch> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failNextClose = new AtomicBoolean();

    WatchFaultStore(ClusterStore store) {
        this.store = store;
    }

    /** Stalls every watch open now. */
    void stallWatches() {
        open.forEach(w -> w.current.mode = Mode.STALLED);
        open.clear();
    }

    /** The next close of a watch throws once it has closed it, as a client whose connection is in trouble may. */
    void failNextClose() {
        failNextClose.set(true);
    }

    /** Every watch open now loses its events from now on, until {@link #catchUpFrom}. */
    void lagWatches() {
        open.forEach(w -> w.current.mode = Mode.LAGGING);
    }

    /** Every lagging watch is served again from {@code fromRevision}, by a new stream under the same listener. */
    void catchUpFrom(long fromRevision) {
        open.stream().filter(w -> w.current.mode == Mode.LAGGING).forEach(w -> w.restartFrom(fromRevision));
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        FaultyWatch w = new FaultyWatch(prefix, fromRevision, listener);
        open.add(w);
        return w;
    }

    private enum Mode {
        LIVE, LAGGING, STALLED
    }

    /** One watch as its listener sees it: a stream of the wrapped store, replaced when it catches up. */
    private final class FaultyWatch implements Watch {
        private final String prefix;
        private final WatchListener listener;
        private volatile Stream current;

        FaultyWatch(String prefix, long fromRevision, WatchListener listener) {
            this.prefix = prefix;
            this.listener = listener;
            this.current = new Stream(listener);
            current.start(prefix, fromRevision);
        }

        void restartFrom(long fromRevision) {
            Stream old = current;
            old.mode = Mode.STALLED; // its end is not the listener's
            old.close();
            Stream fresh = new Stream(listener);
            current = fresh;
            fresh.start(prefix, fromRevision);
        }

        @Override
        public void close() {
            open.remove(this);
            current.close();
            if (failNextClose.getAndSet(false)) {
                throw new IllegalStateException("watch close failed (WatchFaultStore.failNextClose)");
            }
        }

        @Override
        public void requestProgress() {
            Watch inner = current.inner;
            if (inner != null) {
                inner.requestProgress();
            }
        }
    }

    /** A watch of the wrapped store, passing on to the listener what its mode lets through. */
    private final class Stream implements WatchListener {
        private final WatchListener listener;
        private volatile Mode mode = Mode.LIVE;
        private volatile Watch inner;

        Stream(WatchListener listener) {
            this.listener = listener;
        }

        private boolean closed;

        /**
         * Opens the wrapped store's watch. Its first answer (a compaction, say) may reach the
         * listener before {@code store.watch} returns here, and the listener may close the watch in
         * reply on another thread: a close that comes first is carried out once the watch is there.
         */
        void start(String prefix, long fromRevision) {
            Watch w = store.watch(prefix, fromRevision, this);
            synchronized (this) {
                inner = w;
                if (closed) {
                    w.close();
                }
            }
        }

        synchronized void close() {
            closed = true;
            if (inner != null) {
                inner.close();
            }
        }

        @Override
        public void onEvents(List<WatchEvent> events) {
            if (mode == Mode.LIVE) {
                listener.onEvents(events);
            }
        }

        @Override
        public void onCompacted(long compactRevision) {
            if (mode == Mode.LIVE) {
                listener.onCompacted(compactRevision);
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            if (mode == Mode.LIVE) {
                listener.onClosed(cause);
            }
        }

        @Override
        public void onProgress(long revision) {
            if (mode != Mode.STALLED) {
                listener.onProgress(revision);
            }
        }
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return store.get(key);
    }

    @Override
    public Range range(String prefix) {
        return store.range(prefix);
    }

    @Override
    public TxnResult txn(Txn txn) {
        return store.txn(txn);
    }

    @Override
    public long grantLease(Duration ttl) {
        return store.grantLease(ttl);
    }

    @Override
    public Duration keepAlive(long lease) {
        return store.keepAlive(lease);
    }

    @Override
    public void revokeLease(long lease) {
        store.revokeLease(lease);
    }

    @Override
    public void compact(long revision) {
        store.compact(revision);
    }

    @Override
    public String describe() {
        return "faulty watches of " + store.describe();
    }

    @Override
    public void close() {
        // the wrapped store belongs to the test
    }
}
