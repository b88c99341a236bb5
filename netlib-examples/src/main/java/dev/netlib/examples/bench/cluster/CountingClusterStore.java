package dev.netlib.examples.bench.cluster;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.Compare;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.Txn;
import dev.netlib.cluster.TxnResult;
import dev.netlib.cluster.Watch;
import dev.netlib.cluster.WatchEvent;
import dev.netlib.cluster.WatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ClusterStore} that counts what one host asks of etcd: requests (keep-alives apart, they
 * are background load not caused by a join or a leave), payload bytes sent (keys, values and compared
 * keys) and received (keys and values read), and watch events delivered. {@link #sever()} cuts the
 * host off the store for good (the in-JVM stand-in for a crash: its lease is no longer kept alive and
 * expires after its TTL).
 */
final class CountingClusterStore implements ClusterStore {
    private final ClusterStore delegate;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong keepAlives = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong watchEvents = new AtomicLong();
    private volatile boolean severed;

    CountingClusterStore(ClusterStore delegate) {
        this.delegate = delegate;
    }

    /** The counters now. */
    StoreCounters counters() {
        return new StoreCounters(requests.get(), bytesOut.get(), bytesIn.get(), watchEvents.get(), keepAlives.get());
    }

    /** From now on every call fails and the connection is closed: watches end, the lease is not renewed. */
    void sever() {
        severed = true;
        delegate.close();
    }

    private void check() {
        if (severed) {
            throw new ClusterStoreException("cluster store severed by the bench (simulated crash)");
        }
    }

    private static long len(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long len(KeyValue kv) {
        return len(kv.key()) + len(kv.value());
    }

    private void sent(long bytes) {
        requests.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    /** With {@code -Dnlc.trace.store=true}, every counted request on stderr (to see where a join's requests go). */
    private static final boolean TRACE = Boolean.getBoolean("nlc.trace.store");

    private static void trace(String what) {
        if (TRACE) {
            System.err.println("store: " + Thread.currentThread().getName() + " " + what);
        }
    }

    @Override
    public Optional<KeyValue> get(String key) {
        check();
        sent(len(key));
        trace("get " + key);
        Optional<KeyValue> kv = delegate.get(key);
        kv.ifPresent(v -> bytesIn.addAndGet(len(v)));
        return kv;
    }

    @Override
    public Range range(String prefix) {
        check();
        sent(len(prefix));
        trace("range " + prefix);
        Range r = delegate.range(prefix);
        bytesIn.addAndGet(r.kvs().stream().mapToLong(CountingClusterStore::len).sum());
        return r;
    }

    @Override
    public TxnResult txn(Txn txn) {
        check();
        long bytes = 0;
        for (Compare c : txn.compares()) {
            bytes += len(c.key()) + 8;
        }
        for (Op op : txn.ops()) {
            if (op instanceof Op.Put p) {
                bytes += len(p.key()) + len(p.value()) + 8;
            } else if (op instanceof Op.Delete d) {
                bytes += len(d.key());
            } else if (op instanceof Op.DeletePrefix d) {
                bytes += len(d.prefix());
            }
        }
        sent(bytes);
        if (TRACE) {
            trace("txn if " + txn.compares().stream().map(Compare::key).toList() + " then " + txn.ops());
        }
        return delegate.txn(txn);
    }

    @Override
    public long grantLease(Duration ttl) {
        check();
        sent(8);
        return delegate.grantLease(ttl);
    }

    @Override
    public Duration keepAlive(long lease) {
        check();
        keepAlives.incrementAndGet();
        return delegate.keepAlive(lease);
    }

    @Override
    public void revokeLease(long lease) {
        check();
        sent(8);
        delegate.revokeLease(lease);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        check();
        sent(len(prefix) + 8);
        return delegate.watch(prefix, fromRevision, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                watchEvents.addAndGet(events.size());
                long b = 0;
                for (WatchEvent e : events) {
                    b += e.kv() == null ? 0 : len(e.kv());
                }
                bytesIn.addAndGet(b);
                listener.onEvents(events);
            }

            @Override
            public void onCompacted(long compactRevision) {
                listener.onCompacted(compactRevision);
            }

            @Override
            public void onClosed(Throwable cause) {
                listener.onClosed(cause);
            }

            @Override
            public void onProgress(long revision) {
                listener.onProgress(revision); // the agent's stall check lives on these
            }
        });
    }

    @Override
    public void compact(long revision) {
        check();
        sent(8);
        delegate.compact(revision);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        if (!severed) {
            delegate.close();
        }
    }
}
