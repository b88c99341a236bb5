package dev.netlib.testing.etcd;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Starts a process from a thread of its own that ends only once the process has ended. The kernel
 * counts a child's parent as the thread that forked it: on JDK 17 {@code ProcessBuilder.start}
 * forks on the calling thread (posix_spawn's clone(CLONE_VM|CLONE_VFORK), then jspawnhelper execs
 * the command in that child, as {@code strace -f -e clone3,execve} shows), and a parent-death
 * signal ({@link DeathSignal}) fires when that thread ends. A caller's thread may end any time
 * (a pool's idle worker, a test framework's timeout thread), which would kill etcd under a live
 * JVM; this thread waits for the process, ignoring interrupts, so it ends only after it. It is
 * created by the caller, so it is in the caller's network namespace (a thread inherits its
 * creator's), where etcd has always been started.
 */
final class ParentThread extends Thread {
    private final ProcessBuilder builder;
    private final CompletableFuture<Process> started = new CompletableFuture<>();

    private ParentThread(ProcessBuilder builder, String name) {
        super(name);
        this.builder = builder;
        setDaemon(true); // the JVM's exit must not wait for etcd: close() or the shutdown hook kills it
    }

    /**
     * Starts {@code builder}'s process on a new parent thread and returns it. Waits for the start
     * uninterruptibly (a fork takes milliseconds), so a caller's interrupt never leaves a started
     * process unreturned; the interrupt stays set.
     *
     * @param builder the process to start
     * @param name the thread's name
     * @return the started process
     * @throws IOException as {@link ProcessBuilder#start()}
     */
    static Process start(ProcessBuilder builder, String name) throws IOException {
        ParentThread t = new ParentThread(builder, name);
        t.start();
        try {
            return t.started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public void run() {
        Process p;
        try {
            p = builder.start();
        } catch (Throwable t) {
            started.completeExceptionally(t);
            return;
        }
        started.complete(p);
        while (p.isAlive()) {
            try {
                p.waitFor();
            } catch (InterruptedException ignored) {
                // an interrupt must not end the thread while its child runs
            } catch (Throwable unexpected) {
                // nor anything else (an OutOfMemoryError, say): wait and look again
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                } catch (Throwable ignored) {
                    // as above
                }
            }
        }
    }
}
