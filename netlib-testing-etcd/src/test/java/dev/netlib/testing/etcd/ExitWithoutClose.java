package dev.netlib.testing.etcd;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A JVM that starts etcd from a thread that then ends, says {@code ETCDPID ENDPOINT DATADIR} on one
 * line once that thread is gone, and waits, never closing it: {@link ThrowawayEtcdTest} checks that
 * etcd outlived the thread, then ends this JVM with SIGTERM (the shutdown hook must remove etcd and
 * its data) or with SIGKILL (no hook runs: the kernel and the next start must).
 */
public final class ExitWithoutClose {
    private ExitWithoutClose() {}

    /**
     * Starts etcd (label {@code args[0]}) on a short-lived thread, with {@code restart} as
     * {@code args[1]} stops and starts it again from another one, and sleeps until killed.
     *
     * @param args the label, and optionally {@code restart}
     * @throws Exception when etcd does not start
     */
    public static void main(String[] args) throws Exception {
        AtomicReference<ThrowawayEtcd> started = new AtomicReference<>();
        onShortLivedThread("short-lived-starter", () -> started.set(ThrowawayEtcd.startOnTmpfs(args[0])));
        ThrowawayEtcd etcd = started.get();
        if (args.length > 1 && args[1].equals("restart")) {
            // a second etcd process on the same directory, started from another thread that ends too
            onShortLivedThread("short-lived-restarter", () -> {
                etcd.stopProcess();
                etcd.startProcess();
            });
        }
        Thread.sleep(300); // time for a parent-death signal of the ended thread to arrive, were there one
        System.out.println(etcd.pid() + " " + etcd.endpoint() + " " + etcd.dataDir());
        System.out.flush();
        Thread.sleep(60_000);
    }

    /** Something that may throw anything. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} on a new thread named {@code name} and waits for that thread to end. */
    private static void onShortLivedThread(String name, Step step) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        }, name);
        t.start();
        t.join();
        if (failed.get() != null) {
            throw new AssertionError(name + " failed", failed.get());
        }
    }
}
