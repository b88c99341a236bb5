package dev.netlib.overlay;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.Watch;
import dev.netlib.cluster.WatchEvent;
import dev.netlib.cluster.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's {@link ClusterView} equal to the store: a snapshot, then a watch from the
 * revision after it; a compacted or closed watch is followed by a new snapshot, compared by key and
 * value, and a new watch. So is a stalled one: a watch that has delivered neither an event nor a
 * progress answer for three progress intervals is cancelled (a stream can stay open and deliver
 * nothing, e.g. behind a proxy or a half-dead connection). Each change marks the networks it touches
 * (through {@code mark}) and then the revision it brings ({@link MarkedRevision}).
 */
final class StoreWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWatcher.class);

    private final ClusterStore store;
    private final String prefix;
    private final ClusterView view;
    private final ScheduledExecutorService scheduler;
    private final Duration progress;
    private final HostId me;
    private final Consumer<Set<String>> mark;
    /** Networks a snapshot marks besides those before and after it: those the kernel may hold (local, programmed). */
    private final Supplier<Set<String>> alsoOnRelist;
    private final MarkedRevision marked = new MarkedRevision();
    private final AtomicLong relists = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    /** When the current watch last showed life (started, an event or a progress answer), by System.nanoTime(). */
    private volatile long lastHeard;
    private volatile Watch watch;
    private volatile boolean closed;

    StoreWatcher(ClusterStore store, String prefix, ClusterView view, ScheduledExecutorService scheduler, Duration progress, HostId me,
            Consumer<Set<String>> mark, Supplier<Set<String>> alsoOnRelist) {
        this.store = store;
        this.prefix = prefix;
        this.view = view;
        this.scheduler = scheduler;
        this.progress = progress;
        this.me = me;
        this.mark = mark;
        this.alsoOnRelist = alsoOnRelist;
    }

    /** Reads a snapshot into the view, marks every network it may have changed, and watches from the revision after it. */
    void relist() {
        if (closed) {
            return;
        }
        long gen = generation.incrementAndGet();
        Watch old = watch;
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException e) {
                // the old watch is replaced either way (its generation is no longer current)
                LOG.debug("overlay agent {}: closing the old watch failed ({}); replacing it anyway", me, e.toString());
            }
        }
        try {
            Range r = store.range(prefix);
            Set<String> touched = view.reset(r);
            touched.addAll(alsoOnRelist.get());
            relists.incrementAndGet();
            lastHeard = System.nanoTime();
            watch = store.watch(prefix, r.revision() + 1, new Listener(gen));
            mark.accept(touched);
            marked.reached(r.revision());
        } catch (ClusterStoreException e) {
            LOG.warn("overlay agent {}: cannot read the store ({}); trying again in 1 s", me, e.getMessage());
            scheduleRelist(1000);
        } catch (RuntimeException e) {
            // on the scheduler, an exception would end this task silently and leave the agent
            // without a watch until the stall check noticed (three progress intervals later)
            LOG.warn("overlay agent {}: reading a new snapshot failed; trying again in 1 s", me, e);
            scheduleRelist(1000);
        }
    }

    private void scheduleRelist(long delayMs) {
        if (!closed) {
            try {
                scheduler.schedule(this::relist, delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // closing
            }
        }
    }

    /**
     * Stall detection, on the scheduler every progress interval: a watch silent for three intervals
     * is cancelled and replaced (snapshot, diff, new watch); otherwise the store is asked for a
     * progress answer, so a quiet but healthy watch is heard from at least once an interval.
     */
    void checkWatch() {
        Watch w = watch;
        if (closed || w == null) {
            return;
        }
        long silentMs = (System.nanoTime() - lastHeard) / 1_000_000;
        if (silentMs > 3 * progress.toMillis()) {
            stalls.incrementAndGet();
            lastHeard = System.nanoTime(); // one relist per bound, however long the store stays away
            LOG.warn("overlay agent {}: the watch delivered nothing, not even a progress answer, for {} ms; cancelling it and reading a new snapshot",
                    me, silentMs);
            relist();
            return;
        }
        try {
            w.requestProgress();
        } catch (RuntimeException e) {
            LOG.debug("overlay agent {}: progress request failed ({}); the stall check will notice", me, e.toString());
        }
    }

    /** Stops watching for good: later events, ends and checks are ignored. */
    void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }

    /** How many snapshots were read (1 at start, then one per compaction, lost or stalled watch). */
    long relists() {
        return relists.get();
    }

    /** How many watches were found stalled and replaced. */
    long stalls() {
        return stalls.get();
    }

    /** Waits until every change up to {@code revision} has marked its networks (see {@link MarkedRevision#await}). */
    void awaitMarked(long revision, long timeoutMs) {
        marked.await(revision, timeoutMs, me);
    }

    private final class Listener implements WatchListener {
        private final long generation;
        /** A watch ends once: a compaction may be followed by a close of the same watch, which must not cause a second relist. */
        private final AtomicBoolean ended = new AtomicBoolean();

        Listener(long generation) {
            this.generation = generation;
        }

        private boolean current() {
            return generation == StoreWatcher.this.generation.get() && !closed;
        }

        @Override
        public void onEvents(List<WatchEvent> events) {
            if (current()) {
                lastHeard = System.nanoTime();
                mark.accept(view.apply(events));
                events.stream().mapToLong(e -> e.kv().modRevision()).max().ifPresent(marked::reached);
            }
        }

        @Override
        public void onProgress(long revision) {
            if (current()) {
                lastHeard = System.nanoTime();
            }
        }

        @Override
        public void onCompacted(long compactRevision) {
            if (current() && ended.compareAndSet(false, true)) {
                LOG.info("overlay agent {}: watch compacted (store kept revisions from {}); reading a new snapshot", me, compactRevision);
                scheduleRelist(0);
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            if (current() && ended.compareAndSet(false, true)) {
                LOG.warn("overlay agent {}: watch ended ({}); reading a new snapshot in 200 ms", me, cause == null ? "closed" : cause.toString());
                scheduleRelist(200);
            }
        }
    }
}
