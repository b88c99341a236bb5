package dev.netlib.linux.internal.netns;

import dev.netlib.error.NetlibException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.ffi.Syscalls;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform threads netlib owns inside one namespace. A worker enters the namespace once, with
 * setns on itself right after it starts, and never leaves: it runs tasks for that namespace until
 * it has been idle for {@link #KEEP_ALIVE_MS}, or the namespace is released, and then ends. So no
 * thread ever switches back, no caller's thread and no pooled thread of anyone else changes
 * namespace, and a new thread always starts from the namespace of the thread that created it,
 * which is why the worker sets its namespace explicitly rather than trusting inheritance.
 *
 * <p>After every caller's task the worker checks (by inode) that it is still in its namespace: the
 * task may have called setns or unshare itself. netlib's own tasks report their switches instead
 * ({@link #switchedAway()}, {@link #switchedBack()}: namespace creation unshares, then setns()es
 * back with the fd held on the root namespace, whose success proves where the thread is), so they
 * cost no readlink. A worker found or left elsewhere is discarded: it ends instead of taking the
 * next task.
 *
 * <p>Tasks run concurrently (a worker per concurrent call), so tasks in one namespace may wait on
 * each other; a task that calls back into its own namespace runs inline on its worker.
 */
final class NamespaceExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceExecutor.class);
    /** How long an idle worker waits for the next task before it ends. */
    static final long KEEP_ALIVE_MS = 10_000;
    /**
     * Idle workers kept per namespace (more end right after their task): two in the root
     * namespace, where every create runs, one elsewhere, so a thousand live namespaces do not
     * keep two thousand parked threads.
     */
    static final int MAX_IDLE_ROOT = 2;
    static final int MAX_IDLE = 1;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final AtomicInteger DISCARDED = new AtomicInteger();
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final LinuxNetns ns;
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final Set<Worker> all = new HashSet<>();
    /** Written under the monitor; read without it by parked workers. */
    private volatile boolean shutdown;

    NamespaceExecutor(LinuxNetns ns) {
        this.ns = ns;
    }

    /** Threads discarded since start because they were found outside their namespace. */
    static int discardedWorkers() {
        return DISCARDED.get();
    }

    /** Worker threads started since start. */
    static int startedWorkers() {
        return STARTED.get();
    }

    /** True when the calling thread is a netlib worker (the only threads netlib switches). */
    static boolean onWorker() {
        return Thread.currentThread() instanceof Worker;
    }

    /** Notes that netlib's task on this worker has just left the worker's namespace (unshare, setns). */
    static void switchedAway() {
        ((Worker) Thread.currentThread()).switched = true;
    }

    /** Notes that netlib's task on this worker is back in the worker's namespace (setns on its held fd succeeded). */
    static void switchedBack() {
        ((Worker) Thread.currentThread()).switched = false;
    }

    /** Throws unless the calling thread is a netlib worker: setns and unshare happen only there. */
    static void requireWorker(String operation) {
        if (!onWorker()) {
            throw new IllegalStateException(operation + " refused on " + Thread.currentThread()
                    + ": netlib switches namespaces only on platform threads it owns");
        }
    }

    /**
     * Runs {@code task} inside the namespace and returns its result; its exception is rethrown as
     * it is. With {@code interruptible} false the caller waits out an interrupt (for netlib's own
     * short tasks, whose results must not be lost) and keeps the interrupt flag set.
     */
    <T> T call(Callable<T> task, boolean interruptible) throws Exception {
        return submit(task, interruptible).await(interruptible);
    }

    /**
     * Starts {@code task} inside the namespace and returns at once, so the caller can do other
     * work while it runs; {@link Pending#await} gives its outcome as {@link #call} would. Run
     * right here, before returning, when the caller is this namespace's own worker.
     */
    <T> Pending<T> submit(Callable<T> task, boolean interruptible) {
        Job<T> job = new Job<>(task, interruptible);
        if (Thread.currentThread() instanceof Worker w && w.owner == this) {
            job.runHere(); // already inside, and waiting on another worker could deadlock
            return job;
        }
        Worker handedTo = null;
        Worker start = null;
        synchronized (this) {
            if (shutdown) {
                throw ns.releasedError();
            }
            handedTo = idle.pollLast();
            if (handedTo != null) {
                handedTo.assigned = job;
            } else {
                start = new Worker(this, job);
                all.add(start);
            }
        }
        if (handedTo != null) {
            // Outside the monitor: the woken worker reads its volatile job and runs at once instead
            // of waking only to block on a monitor the caller still holds (a second futex round).
            LockSupport.unpark(handedTo);
        } else {
            STARTED.incrementAndGet();
            start.start();
        }
        return job;
    }

    /** A task {@link #submit}ted and not yet awaited; only the thread that submitted it may await it. */
    interface Pending<T> {
        /**
         * Waits for the task and returns its result or rethrows its exception. With {@code
         * interruptible} false an interrupt is waited out and the flag kept set.
         */
        T await(boolean interruptible) throws Exception;
    }

    /** Ends idle workers now and busy ones after their task; waits briefly for the idle ones. */
    void shutdown() {
        List<Worker> waitFor;
        synchronized (this) {
            shutdown = true;
            waitFor = new ArrayList<>(idle);
        }
        for (Worker w : waitFor) {
            LockSupport.unpark(w);
        }
        // Their namespace stays alive while a thread is inside it: let them go before returning.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (Worker w : waitFor) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || w == Thread.currentThread()) {
                continue;
            }
            try {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Live worker threads (idle and busy). */
    synchronized int workers() {
        return all.size();
    }

    /**
     * Puts {@code w} back among the idle workers, BEFORE its caller learns the result: a caller
     * that calls again right away then finds it instead of starting another thread. False when
     * the worker should end instead.
     */
    private synchronized boolean offerIdle(Worker w) {
        w.assigned = null;
        if (shutdown || idle.size() >= (ns.kind() == LinuxNetns.Kind.ROOT ? MAX_IDLE_ROOT : MAX_IDLE)) {
            all.remove(w);
            return false;
        }
        idle.addLast(w);
        return true;
    }

    /**
     * The next job for idle worker {@code w}, or null when it should end (idle too long, shut down,
     * or interrupted). It parks without holding the monitor; {@link #call} assigns under the
     * monitor and then unparks it, so a job is never lost between the check and the park (an
     * unpark before the park makes the park return at once).
     */
    private Job<?> awaitJob(Worker w) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MS);
        while (true) {
            Job<?> job = w.assigned;
            if (job != null) {
                return job;
            }
            long left = deadline - System.nanoTime();
            // Nobody but netlib holds these threads; an interrupt only means "end".
            if (shutdown || left <= 0 || Thread.interrupted()) {
                synchronized (this) {
                    if (w.assigned != null) {
                        return w.assigned; // handed over just now: a caller waits for it, run it first
                    }
                    gone(w);
                    return null;
                }
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private synchronized void gone(Worker w) {
        idle.remove(w);
        all.remove(w);
    }

    /** One task and its outcome. */
    private static final class Job<T> implements Pending<T> {
        private final Callable<T> task;
        /** A caller's task (not netlib's own): it may switch namespaces without telling. */
        final boolean callers;
        /** The thread waiting in {@link #await}: the one that made the job. */
        private final Thread waiter = Thread.currentThread();
        private T value;
        private Throwable failure;
        /** Set after {@link #value} or {@link #failure}: its volatile write publishes them. */
        private volatile boolean done;

        Job(Callable<T> task, boolean callers) {
            this.task = task;
            this.callers = callers;
        }

        /** Runs the task; the caller learns the outcome only at {@link #publish()}. */
        void run() {
            try {
                value = task.call();
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Runs the task on the thread that made the job, which then awaits an outcome already there. */
        void runHere() {
            run();
            done = true;
        }

        /** Hands the outcome to the caller, after the worker has checked where it is. */
        void publish() {
            done = true;
            LockSupport.unpark(waiter);
        }

        void fail(Throwable t) {
            failure = t;
            publish();
        }

        @Override
        public T await(boolean interruptible) throws Exception {
            boolean interrupted = false;
            try {
                while (!done) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        if (interruptible) {
                            throw new InterruptedException("interrupted while waiting for a task in another network namespace");
                        }
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            Throwable c = failure;
            if (c == null) {
                return value;
            }
            if (c instanceof Exception x) {
                throw x;
            }
            if (c instanceof Error x) {
                throw x;
            }
            throw new NetlibException(String.valueOf(c), c);
        }
    }

    /** A platform daemon thread that lives inside {@link #ns}. */
    private static final class Worker extends Thread {
        final NamespaceExecutor owner;
        private final Job<?> first;
        /** Written under the owner's monitor, read by this thread without it. */
        volatile Job<?> assigned;
        /** Set while netlib's own task has this thread outside its namespace (only this thread touches it). */
        boolean switched;

        Worker(NamespaceExecutor owner, Job<?> first) {
            super("netlib-netns-" + owner.ns.inode() + "-" + SEQ.incrementAndGet());
            this.owner = owner;
            this.first = first;
            setDaemon(true);
        }

        @Override
        public void run() {
            LinuxNetns ns = owner.ns;
            try {
                enter(ns);
            } catch (Throwable t) {
                owner.gone(this);
                first.fail(t);
                return; // this thread may be anywhere now: it ends
            }
            Job<?> job = first;
            while (job != null) {
                job.run();
                long now = ns.inode();
                if (job.callers || switched) {
                    try {
                        now = NsFiles.currentInode();
                    } catch (RuntimeException e) {
                        now = -1;
                    }
                }
                if (now != ns.inode()) {
                    DISCARDED.incrementAndGet();
                    LOG.warn("worker {} left {} (now in netns {}): discarded", getName(), ns.describe(), now);
                    owner.gone(this);
                    job.publish();
                    return;
                }
                boolean stay = owner.offerIdle(this);
                job.publish();
                job = stay ? owner.awaitJob(this) : null;
            }
        }

        private static void enter(LinuxNetns ns) {
            if (NsFiles.currentInode() == ns.inode()) {
                // Born inside already (the usual case for the root namespace): no setns, which
                // also keeps work in one's own namespace possible without CAP_SYS_ADMIN.
                return;
            }
            int fd = ns.pin();
            try {
                if (Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET) < 0) { // setns does not block: never interrupted
                    throw Syscalls.failure("setns(" + ns.describe() + ", CLONE_NEWNET)");
                }
            } finally {
                ns.unpin();
            }
            long now = NsFiles.currentInode();
            if (now != ns.inode()) {
                throw new NetlibException("setns into " + ns.describe() + " left the thread in netns " + now);
            }
        }
    }
}
