package dev.netlib.overlay;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread through which every kernel write of the overlay goes, one at a time, so two changes
 * of a network can never interleave. Networks are marked dirty from any thread; the thread then
 * reconciles each marked network once, however often it was marked meanwhile. A task handed to
 * {@link #call} runs after the networks marked so far.
 */
final class KernelThread {
    private static final Logger LOG = LoggerFactory.getLogger(KernelThread.class);

    private final ExecutorService thread;
    private final HostId me;
    /** Makes the kernel match the store for one network. */
    private final Consumer<String> reconcile;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile boolean closed;

    KernelThread(ExecutorService thread, HostId me, Consumer<String> reconcile) {
        this.thread = thread;
        this.me = me;
        this.reconcile = reconcile;
    }

    /** Marks networks for a reconcile on the thread; ignored once {@link #close closing}. */
    void mark(Set<String> ids) {
        if (ids.isEmpty() || closed) {
            return;
        }
        dirty.addAll(ids);
        if (drainQueued.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException stopping) {
                drainQueued.set(false);
            }
        }
    }

    private void drain() {
        drainQueued.set(false);
        for (String id : List.copyOf(dirty)) {
            dirty.remove(id);
            try {
                reconcile.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("overlay agent {}: reconciling network {} failed; anti-entropy retries it", me, id, e);
            }
        }
    }

    /** Waits until the changes queued so far have reached the kernel. */
    void sync() {
        call(() -> null);
    }

    /** Runs {@code task} on the thread after the networks marked so far, and returns its result. */
    <T> T call(Callable<T> task) {
        Future<T> f;
        try {
            f = thread.submit(() -> {
                drain();
                return task.call();
            });
        } catch (RejectedExecutionException stopping) {
            throw new OverlayException("overlay agent " + me + " is closed");
        }
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new OverlayException("overlay agent " + me + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverlayException("interrupted while waiting for the overlay agent's kernel thread", e);
        } catch (TimeoutException e) {
            throw new OverlayException("overlay agent " + me + ": kernel thread did not answer within 60 s", e);
        }
    }

    /** From now on, marks are ignored; work already queued still runs. */
    void close() {
        closed = true;
    }

    /** Lets the queued work finish (at most 10 s), then stops the thread. */
    void shutdown() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread at once, as a host that dies would. */
    void shutdownNow() {
        thread.shutdownNow();
    }
}
