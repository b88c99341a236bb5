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
 * A store whose watches can be made to stall: {@link #stallWatches()} turns every watch open at that
 * moment into one that stays open but delivers nothing (no event, no progress answer, no end), as a
 * stream behind a dead proxy would. Watches opened later work. Everything else goes to the store it
 * wraps.
 */
final class StallingStore implements ClusterStore {
    private final ClusterStore store;
    private final Set<AtomicBoolean> live = ConcurrentHashMap.newKeySet();

    StallingStore(ClusterStore store) {
        this.store = store;
    }

    /** Stalls every watch open now. */
    void stallWatches() {
        live.forEach(flag -> flag.set(false));
        live.clear();
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        AtomicBoolean alive = new AtomicBoolean(true);
        live.add(alive);
        Watch inner = store.watch(prefix, fromRevision, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                if (alive.get()) {
                    listener.onEvents(events);
                }
            }

            @Override
            public void onCompacted(long compactRevision) {
                if (alive.get()) {
                    listener.onCompacted(compactRevision);
                }
            }

            @Override
            public void onClosed(Throwable cause) {
                if (alive.get()) {
                    listener.onClosed(cause);
                }
            }

            @Override
            public void onProgress(long revision) {
                if (alive.get()) {
                    listener.onProgress(revision);
                }
            }
        });
        return new Watch() {
            @Override
            public void close() {
                live.remove(alive);
                inner.close();
            }

            @Override
            public void requestProgress() {
                inner.requestProgress();
            }
        };
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
        return "stalling " + store.describe();
    }

    @Override
    public void close() {
        // the wrapped store belongs to the test
    }
}
