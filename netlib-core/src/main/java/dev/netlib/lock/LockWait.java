package dev.netlib.lock;

import dev.netlib.error.LockTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread's wait for one {@link HostFileLock}: the JVM lock and then the fcntl lock, both
 * within one deadline, a WARN once when the wait gets long, and a
 * {@link LockTimeoutException} naming the holder when it ends.
 *
 * <p>The fcntl part is first tried without waiting ({@link FileChannel#tryLock()}, F_SETLK), so a
 * free lock costs what it cost before. A busy one is waited for in the kernel ({@link
 * FileChannel#lock()}, F_SETLKW), which wakes the waiter as soon as the holder lets go, with no
 * polling delay; F_SETLKW itself cannot time out, so a watchdog thread closes the channel at the
 * deadline, which ends the blocked call ({@link java.nio.channels.AsynchronousCloseException}: the JDK signals the
 * blocked thread, fcntl returns EINTR) and drops nothing but this waiter's own descriptor. The
 * watchdog also logs the WARN, with the holder read from /proc/locks at that moment.
 */
final class LockWait {
    private static final Logger LOG = LoggerFactory.getLogger(HostFileLock.class);
    /** After this long (or half the timeout, if less) a wait is reported at WARN, once. */
    static final long WARN_AFTER_NANOS = 2_000_000_000L;

    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int EXPIRED = 2;

    private final Path file;
    private final LockTimeout timeout;
    private final String waiter;
    private final long start;
    private final long warnAt;
    private final long deadline;
    /** Whether this wait was reported at WARN already (by this thread or by the watchdog). */
    private final AtomicBoolean warned = new AtomicBoolean();

    LockWait(Path file, LockTimeout timeout) {
        this.file = file;
        this.timeout = timeout;
        this.waiter = Thread.currentThread().getName();
        this.start = System.nanoTime();
        long t = timeout.duration().toNanos();
        this.warnAt = start + Math.min(WARN_AFTER_NANOS, t / 2);
        this.deadline = start + t;
    }

    /**
     * Takes {@code jvmLock} before the deadline.
     *
     * @throws LockTimeoutException when another thread of this JVM held it until the deadline
     * @throws InterruptedIOException when the thread is interrupted while it waits
     */
    void lockJvm(ReentrantLock jvmLock) throws InterruptedIOException {
        if (jvmLock.tryLock()) {
            return;
        }
        try {
            if (!warned.get() && jvmLock.tryLock(warnAt - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return;
            }
            warn(thisProcess());
            if (jvmLock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while waiting for the lock " + file);
            io.initCause(e);
            throw io;
        }
        throw expired(thisProcess(), ProcessHandle.current().pid());
    }

    /**
     * Takes the fcntl lock of {@code channel} (whole file, exclusive) before the deadline. When this
     * throws, the channel may have been closed.
     *
     * @throws LockTimeoutException when another process held it until the deadline
     * @throws IOException when locking fails otherwise (ClosedByInterruptException: interrupted)
     */
    FileLock lockFile(FileChannel channel) throws IOException {
        FileLock free = channel.tryLock();
        if (free != null) {
            return free;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            List<Long> holders = ProcLocks.holders(file);
            throw expired(ProcLocks.describe(holders), holders.size() == 1 ? holders.get(0) : -1);
        }
        Watch watch = new Watch(channel);
        ScheduledFuture<?> warnTask = null;
        if (!warned.get()) {
            warnTask = Watchdog.POOL.schedule(() -> warn(ProcLocks.describe(ProcLocks.holders(file))),
                    Math.max(0, warnAt - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        ScheduledFuture<?> expireTask = Watchdog.POOL.schedule(watch::expire, left, TimeUnit.NANOSECONDS);
        try {
            FileLock lock = channel.lock(); // F_SETLKW: the kernel wakes this when the holder lets go
            if (watch.state.compareAndSet(WAITING, TAKEN)) {
                return lock;
            }
        } catch (IOException | RuntimeException failed) {
            // AsynchronousCloseException: the watchdog's close at the deadline, or an interrupt
            // (ClosedByInterruptException); anything else is a failure of its own
            if (watch.state.compareAndSet(WAITING, TAKEN)) {
                throw failed; // not the watchdog's doing: report it as it is
            }
        } finally {
            if (warnTask != null) {
                warnTask.cancel(false);
            }
            expireTask.cancel(false);
        }
        // the watchdog expired the wait: let it finish closing the descriptor before the caller
        // releases the JVM lock, or its close could drop the next holder's fcntl lock (fcntl(2))
        watch.awaitClosed();
        throw expired(ProcLocks.describe(watch.holders), watch.holders.size() == 1 ? watch.holders.get(0) : -1);
    }

    /** The holder when a thread of this JVM holds the JVM lock. */
    private static String thisProcess() {
        return "another thread of this process (pid " + ProcessHandle.current().pid() + ")";
    }

    private void warn(String holder) {
        if (!timeout.duration().isZero() && warned.compareAndSet(false, true)) {
            LOG.warn("thread '{}' has waited {} for the lock {}, held by {}; it gives up after {} (change with {})",
                    waiter, seconds(System.nanoTime() - start), file, holder, seconds(timeout.duration().toNanos()), timeout.setting());
        }
    }

    private LockTimeoutException expired(String holder, long pid) {
        long waited = System.nanoTime() - start;
        return new LockTimeoutException("gave up waiting for the lock " + file + " after " + seconds(waited) + ": it is held by " + holder
                + "; the timeout is " + seconds(timeout.duration().toNanos()) + ", set by " + timeout.setting(),
                file.toString(), pid, Duration.ofNanos(waited));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** The blocked lock() call's state, shared with the watchdog that may end it. */
    private final class Watch {
        final AtomicInteger state = new AtomicInteger(WAITING);
        final CountDownLatch closed = new CountDownLatch(1);
        private final FileChannel channel;
        volatile List<Long> holders = List.of();

        Watch(FileChannel channel) {
            this.channel = channel;
        }

        /** At the deadline, on the watchdog: notes the holder, then ends the wait by closing the channel. */
        void expire() {
            holders = ProcLocks.holders(file); // while the holder still holds it
            if (state.compareAndSet(WAITING, EXPIRED)) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing {} to end a wait for its lock: {}", file, e.toString());
                } finally {
                    closed.countDown();
                }
            }
        }

        /** Waits until {@link #expire()} has closed the channel; an interrupt is kept for later. */
        void awaitClosed() {
            boolean interrupted = false;
            while (true) {
                try {
                    closed.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The one watchdog thread of the JVM, started on the first wait and ended after 10 s without one. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor POOL = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "netlib-lock-watchdog");
                t.setDaemon(true);
                return t;
            });
            p.setRemoveOnCancelPolicy(true); // a wait that ends early leaves no task behind
            p.setKeepAliveTime(10, TimeUnit.SECONDS);
            p.allowCoreThreadTimeOut(true);
            return p;
        }
    }
}
