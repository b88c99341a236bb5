package dev.netlib.lock;

import dev.netlib.error.LockTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * polling delay; F_SETLKW itself cannot time out, so a watchdog thread ({@link LockWatchdog})
 * closes the channel at the deadline, which ends the blocked call ({@link
 * java.nio.channels.AsynchronousCloseException}: the JDK signals the blocked thread, fcntl returns
 * EINTR) and drops nothing but this waiter's own descriptor. The watchdog also logs the WARN,
 * with the holder read from /proc/locks at that moment. A virtual thread, which a close does not
 * wake, tries again after short pauses instead ({@link #poll(FileChannel)}).
 */
final class LockWait {
    private static final Logger LOG = LoggerFactory.getLogger(HostFileLock.class);
    /** After this long (or half the timeout, if less) a wait is reported at WARN, once. */
    static final long WARN_AFTER_NANOS = 2_000_000_000L;

    /** The first pause of {@link #poll(FileChannel)}. */
    private static final long FIRST_PAUSE_NANOS = 200_000L;
    /** The longest pause of {@link #poll(FileChannel)}: how late at most a polling waiter sees the lock free. */
    private static final long MAX_PAUSE_NANOS = 10_000_000L;
    /** The longest wait, about a century: what a longer timeout (meant as "for ever") becomes. */
    private static final long LONGEST_NANOS = 100L * 365 * 24 * 3600 * 1_000_000_000L;

    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int EXPIRED = 2;

    private final Path file;
    private final LockTimeout timeout;
    private final String waiter;
    private final long start;
    /** The timeout in nanoseconds, at most {@link #LONGEST_NANOS}. */
    private final long timeoutNanos;
    private final long warnAt;
    private final long deadline;
    /** Whether this wait was reported at WARN already (by this thread or by the watchdog). */
    private final AtomicBoolean warned = new AtomicBoolean();

    LockWait(Path file, LockTimeout timeout) {
        this.file = file;
        this.timeout = timeout;
        this.waiter = Thread.currentThread().getName();
        this.start = System.nanoTime();
        // a longer timeout waits a century: nanoTime arithmetic stays far from overflowing
        long t = timeout.duration().compareTo(Duration.ofNanos(LONGEST_NANOS)) > 0 ? LONGEST_NANOS : timeout.duration().toNanos();
        this.timeoutNanos = t;
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
            if (jvmLock.tryLock(warnAt - System.nanoTime(), TimeUnit.NANOSECONDS)) { // the first call of a wait: nothing warned yet
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
        if (deadline - System.nanoTime() <= 0) {
            throw expired();
        }
        return onVirtualThread() ? poll(channel) : block(channel);
    }

    /** The timeout, with the holders as /proc/locks shows them now. */
    private LockTimeoutException expired() {
        List<Long> holders = ProcLocks.holders(file);
        return expired(ProcLocks.describe(holders), holders.size() == 1 ? holders.get(0) : -1);
    }

    /**
     * Waits in F_SETLKW, ended by the watchdog at the deadline: on platform threads, which closing
     * the channel wakes.
     */
    private FileLock block(FileChannel channel) throws IOException {
        Watch watch = new Watch(channel);
        LockWatchdog.watch(watch, warned.get() ? deadline : warnAt);
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
            LockWatchdog.unwatch(watch);
        }
        // the watchdog expired the wait: let it finish closing the descriptor before the caller
        // releases the JVM lock, or its close could drop the next holder's fcntl lock (fcntl(2))
        watch.awaitClosed();
        throw expired(ProcLocks.describe(watch.holders), watch.holders.size() == 1 ? watch.holders.get(0) : -1);
    }


    /**
     * Waits by trying again after a pause that doubles from {@link #FIRST_PAUSE_NANOS} to {@link
     * #MAX_PAUSE_NANOS}, warning and giving up on this thread: for virtual threads, which closing the
     * channel does not wake from F_SETLKW (the JDK cannot signal a virtual thread's carrier, so the
     * close would wait for the holder). A pause costs a virtual thread nothing but its wake-up; the
     * lock is seen at most one pause after the holder let go.
     */
    FileLock poll(FileChannel channel) throws IOException {
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw expired();
            }
            if (!warned.get() && now - warnAt >= 0) {
                warn(ProcLocks.describe(ProcLocks.holders(file)));
            }
            LockSupport.parkNanos(Math.min(pause, deadline - now));
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for the lock " + file);
            }
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /** Whether this runs on a virtual thread (Java 21's Thread.isVirtual; never on Java 17). */
    private static boolean onVirtualThread() {
        MethodHandle isVirtual = VirtualThreads.IS_VIRTUAL;
        if (isVirtual == null) {
            return false;
        }
        try {
            return (boolean) isVirtual.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Thread.isVirtual, looked up on the first busy lock only: method handles cost milliseconds to
     * set up in a fresh JVM, where a free lock (the first nf_tables call) must stay cheap.
     */
    private static final class VirtualThreads {
        static final MethodHandle IS_VIRTUAL = lookUp();

        private static MethodHandle lookUp() {
            try {
                return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
            } catch (ReflectiveOperationException olderJava) {
                return null;
            }
        }
    }

    /** The holder when a thread of this JVM holds the JVM lock. */
    private static String thisProcess() {
        return "another thread of this process (pid " + ProcessHandle.current().pid() + ")";
    }

    private void warn(String holder) {
        if (timeoutNanos > 0 && warned.compareAndSet(false, true)) {
            LOG.warn("thread '{}' has waited {} for the lock {}, held by {}; it gives up after {} (change with {})",
                    waiter, seconds(System.nanoTime() - start), file, holder, seconds(timeoutNanos), timeout.setting());
        }
    }

    private LockTimeoutException expired(String holder, long pid) {
        long waited = System.nanoTime() - start;
        return new LockTimeoutException("gave up waiting for the lock " + file + " after " + seconds(waited) + ": it is held by " + holder
                + "; the timeout is " + seconds(timeoutNanos) + ", set by " + timeout.setting(),
                file.toString(), pid, Duration.ofNanos(waited));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** The blocked lock() call's state, shared with the watchdog that may end it. */
    private final class Watch implements LockWatchdog.Watched {
        final AtomicInteger state = new AtomicInteger(WAITING);
        final CountDownLatch closed = new CountDownLatch(1);
        private final FileChannel channel;
        volatile List<Long> holders = List.of();

        Watch(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long tick(long now) {
            if (state.get() != WAITING) {
                return now + WARN_AFTER_NANOS; // ended: the waiter unwatches it
            }
            if (now - deadline >= 0) {
                expire();
                return now + WARN_AFTER_NANOS;
            }
            if (!warned.get()) {
                if (now - warnAt < 0) {
                    return warnAt;
                }
                warn(ProcLocks.describe(ProcLocks.holders(file)));
            }
            return deadline;
        }

        /** At the deadline, on the watchdog: notes the holder, then ends the wait by closing the channel. */
        private void expire() {
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
}
