package dev.netlib.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link ClusterStore} in this JVM's memory that behaves like a single etcd member: one revision
 * counter, versions and mod revisions per key, transactions, leases that expire on a clock (every 100
 * ms, and before each call), watches replayed from history, compaction. For unit tests (several
 * simulated hosts in one JVM share one instance) and for programs whose overlay lives and dies with
 * the process.
 *
 * <p>Tests that want to control time pass their own millisecond clock to {@link #withClock} and move
 * it on; a lease then expires when that clock passes its deadline.
 */
public final class MemoryClusterStore implements ClusterStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MemoryClusterStore.class);
    private final LongSupplier clock;
    private final TreeMap<String, KeyValue> data = new TreeMap<>();
    private final ArrayDeque<List<WatchEvent>> history = new ArrayDeque<>();
    private final Map<Long, LeaseState> leases = new HashMap<>();
    private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private long revision = 1; // etcd starts at 1 with an empty store
    private long compactRevision;
    private long nextLease = 0x694d0000L;
    private boolean closed;

    private static final class LeaseState {
        final long ttlMillis;
        long deadline;
        final Set<String> keys = new LinkedHashSet<>();

        LeaseState(long ttlMillis, long deadline) {
            this.ttlMillis = ttlMillis;
            this.deadline = deadline;
        }
    }

    private MemoryClusterStore(LongSupplier clock) {
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netlib-memory-store-leases");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::expireLeases, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** A store whose leases run on the system clock. */
    public static MemoryClusterStore create() {
        return new MemoryClusterStore(System::currentTimeMillis);
    }

    /** A store whose leases run on {@code millis}, a clock the caller moves (tests). */
    public static MemoryClusterStore withClock(LongSupplier millis) {
        return new MemoryClusterStore(millis);
    }

    /** The current revision. */
    public synchronized long revision() {
        return revision;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        expireLeases();
        synchronized (this) {
            checkOpen();
            return Optional.ofNullable(data.get(key));
        }
    }

    @Override
    public Range range(String prefix) {
        expireLeases();
        synchronized (this) {
            checkOpen();
            List<KeyValue> out = new ArrayList<>();
            for (KeyValue kv : data.tailMap(prefix, true).values()) {
                if (!kv.key().startsWith(prefix)) {
                    break;
                }
                out.add(kv);
            }
            return new Range(revision, out);
        }
    }

    @Override
    public TxnResult txn(Txn txn) {
        expireLeases();
        synchronized (this) {
            checkOpen();
            for (Compare c : txn.compares()) {
                if (!c.test(data.get(c.key()))) {
                    return new TxnResult(false, revision);
                }
            }
            for (Op op : txn.ops()) {
                if (op instanceof Op.Put p && p.lease() != 0 && !leases.containsKey(p.lease())) {
                    throw new LeaseNotFoundException(p.lease(), describe());
                }
            }
            long next = revision + 1;
            List<WatchEvent> events = new ArrayList<>();
            for (Op op : txn.ops()) {
                if (op instanceof Op.Put p) {
                    events.add(put(p, next));
                } else if (op instanceof Op.Delete d) {
                    deleteKey(d.key(), next, events);
                } else if (op instanceof Op.DeletePrefix dp) {
                    for (String k : List.copyOf(data.subMap(dp.prefix(), dp.prefix() + Character.MAX_VALUE).keySet())) {
                        deleteKey(k, next, events);
                    }
                }
            }
            commit(events);
            return new TxnResult(true, revision);
        }
    }

    private WatchEvent put(Op.Put p, long rev) {
        KeyValue old = data.get(p.key());
        if (old != null && old.lease() != 0 && old.lease() != p.lease()) {
            LeaseState ls = leases.get(old.lease());
            if (ls != null) {
                ls.keys.remove(p.key());
            }
        }
        KeyValue kv = old == null
                ? new KeyValue(p.key(), p.value(), rev, rev, 1, p.lease())
                : new KeyValue(p.key(), p.value(), old.createRevision(), rev, old.version() + 1, p.lease());
        data.put(p.key(), kv);
        if (p.lease() != 0) {
            leases.get(p.lease()).keys.add(p.key());
        }
        return new WatchEvent(WatchEvent.Type.PUT, kv, old);
    }

    private void deleteKey(String key, long rev, List<WatchEvent> events) {
        KeyValue old = data.remove(key);
        if (old == null) {
            return;
        }
        if (old.lease() != 0 && leases.containsKey(old.lease())) {
            leases.get(old.lease()).keys.remove(key);
        }
        events.add(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, "", 0, rev, 0, 0), old));
    }

    /** A revision is spent only when something changed, as in etcd. */
    private void commit(List<WatchEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        revision++;
        history.addLast(List.copyOf(events));
        for (MemoryWatch w : watches) {
            w.offer(events);
        }
    }

    @Override
    public long grantLease(Duration ttl) {
        long seconds = Math.max(1, ttl.toSeconds());
        synchronized (this) {
            checkOpen();
            long id = ++nextLease;
            leases.put(id, new LeaseState(seconds * 1000, clock.getAsLong() + seconds * 1000));
            return id;
        }
    }

    @Override
    public Duration keepAlive(long lease) {
        expireLeases();
        synchronized (this) {
            checkOpen();
            LeaseState ls = leases.get(lease);
            if (ls == null) {
                throw new LeaseNotFoundException(lease, describe());
            }
            ls.deadline = clock.getAsLong() + ls.ttlMillis;
            return Duration.ofMillis(ls.ttlMillis);
        }
    }

    @Override
    public synchronized void revokeLease(long lease) {
        checkOpen();
        LeaseState ls = leases.remove(lease);
        if (ls != null) {
            dropKeys(ls);
        }
    }

    private void dropKeys(LeaseState ls) {
        long next = revision + 1;
        List<WatchEvent> events = new ArrayList<>();
        for (String k : ls.keys) {
            deleteKey(k, next, events);
        }
        commit(events);
    }

    /** Expires every lease whose deadline has passed (also runs every 100 ms on its own). */
    public void expireLeases() {
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = clock.getAsLong();
            for (var it = leases.entrySet().iterator(); it.hasNext(); ) {
                LeaseState ls = it.next().getValue();
                if (ls.deadline <= now) {
                    it.remove();
                    dropKeys(ls);
                }
            }
        }
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        expireLeases();
        synchronized (this) {
            checkOpen();
            MemoryWatch w = new MemoryWatch(prefix, listener);
            if (fromRevision > 0 && fromRevision < compactRevision) {
                long compacted = compactRevision;
                w.offerTask(() -> listener.onCompacted(compacted), true);
                return w;
            }
            for (List<WatchEvent> rev : history) {
                if (rev.get(0).kv().modRevision() >= fromRevision) {
                    w.offer(rev);
                }
            }
            watches.add(w);
            return w;
        }
    }

    @Override
    public synchronized void compact(long rev) {
        checkOpen();
        if (rev > revision) {
            throw new ClusterStoreException("cannot compact " + describe() + " to revision " + rev + ": it is a future revision (current " + revision + ")");
        }
        if (rev <= compactRevision) {
            return;
        }
        compactRevision = rev;
        while (!history.isEmpty() && history.peekFirst().get(0).kv().modRevision() < rev) {
            history.removeFirst();
        }
    }

    @Override
    public String describe() {
        return "memory cluster store";
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ticker.shutdownNow();
        for (MemoryWatch w : watches) {
            w.offerTask(() -> w.listener.onClosed(null), true);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClusterStoreException(describe() + " is closed");
        }
    }

    /** A watch: its own delivery thread, so a slow listener never holds the store's lock. */
    private final class MemoryWatch implements Watch {
        final String prefix;
        final WatchListener listener;
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private final Thread thread;
        private boolean stopped;
        private boolean finishing;

        MemoryWatch(String prefix, WatchListener listener) {
            this.prefix = prefix;
            this.listener = listener;
            this.thread = new Thread(this::deliver, "netlib-memory-store-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void offer(List<WatchEvent> events) {
            List<WatchEvent> mine = events.stream().filter(e -> e.kv().key().startsWith(prefix)).toList();
            if (!mine.isEmpty()) {
                offerTask(() -> listener.onEvents(mine), false);
            }
        }

        synchronized void offerTask(Runnable task, boolean last) {
            if (stopped || finishing) {
                return;
            }
            queue.addLast(task);
            finishing = last;
            notifyAll();
        }

        private void deliver() {
            while (true) {
                Runnable task;
                synchronized (this) {
                    while (queue.isEmpty() && !stopped && !finishing) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (stopped || queue.isEmpty()) {
                        return;
                    }
                    task = queue.removeFirst();
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("watch listener on {} failed; the watch goes on", prefix, e);
                }
            }
        }

        /** Answered after the changes already queued, under the store's lock: nothing up to that revision is still to come. */
        @Override
        public void requestProgress() {
            synchronized (MemoryClusterStore.this) {
                long rev = revision;
                offerTask(() -> listener.onProgress(rev), false);
            }
        }

        @Override
        public void close() {
            watches.remove(this);
            synchronized (this) {
                stopped = true;
                queue.clear();
                notifyAll();
            }
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
