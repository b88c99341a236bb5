package dev.netlib.lock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of the JVM that looks after the waits blocked in F_SETLKW (see {@link LockWait}):
 * it warns when a wait gets long and ends it at its deadline. Started by the first wait, gone after
 * 10 s without one.
 *
 * <p>A wait costs it nothing while it is short: registering only wakes the thread when the new
 * wait needs a look before the thread's next planned one, and the thread plans its next look at
 * the earliest warning or deadline of the waits it knows, or 2 s on, whichever comes first; a new
 * wait's first look (its WARN, 2 s after it started) is later than that unless its timeout is
 * under 4 s. So a busy lock wakes this thread about every 2 s, not at every wait.
 */
final class LockWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(HostFileLock.class);
    private static final long IDLE_NANOS = 10_000_000_000L;

    /** A wait the watchdog looks after. */
    interface Watched {
        /**
         * Does what is due at {@code now} (a WARN, the end of the wait).
         *
         * @return when it next needs a look (System.nanoTime), or {@code now} plus a long time when never
         */
        long tick(long now);
    }

    private static final Set<Watched> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final Object GATE = new Object();
    /** The watchdog, null when none runs (guarded by GATE). */
    private static Thread thread;
    /** When the watchdog looks next (guarded by GATE). */
    private static long plannedLook;

    private LockWatchdog() {}

    /** Starts looking after {@code w}, which needs its first look at {@code firstLook} (System.nanoTime). */
    static void watch(Watched w, long firstLook) {
        synchronized (GATE) {
            ACTIVE.add(w);
            if (thread == null || !thread.isAlive()) {
                plannedLook = firstLook;
                thread = new Thread(LockWatchdog::run, "netlib-lock-watchdog");
                thread.setDaemon(true);
                thread.start();
            } else if (firstLook - plannedLook < 0) {
                plannedLook = firstLook;
                LockSupport.unpark(thread);
            }
        }
    }

    /** Stops looking after {@code w} (its wait ended). */
    static void unwatch(Watched w) {
        ACTIVE.remove(w);
    }

    private static void run() {
        long busy = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            // no later than a new wait's first look can be (its WARN, unless its timeout is under 4 s):
            // so short waits that come and go do not wake this thread each
            long next = now + LockWait.WARN_AFTER_NANOS;
            for (Watched w : ACTIVE) {
                try {
                    long t = w.tick(now);
                    if (t - next < 0) {
                        next = t;
                    }
                } catch (RuntimeException e) {
                    LOG.debug("lock watchdog: {}", e.toString()); // one wait's trouble must not end the others' deadlines
                }
            }
            synchronized (GATE) {
                if (!ACTIVE.isEmpty()) {
                    busy = now;
                } else if (now - busy >= IDLE_NANOS) {
                    thread = null;
                    return;
                }
                plannedLook = next;
            }
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }
}
