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
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                started.set(ThrowawayEtcd.startOnTmpfs(args[0]));
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "short-lived-starter");
        starter.start();
        starter.join();
        if (failed.get() != null) {
            throw new AssertionError("etcd did not start", failed.get());
        }
        ThrowawayEtcd etcd = started.get();
        if (args.length > 1 && args[1].equals("restart")) {
            // a second etcd process on the same directory, started from another thread that ends too
            Thread restarter = new Thread(() -> {
                try {
                    etcd.stopProcess();
                    etcd.startProcess();
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "short-lived-restarter");
            restarter.start();
            restarter.join();
            if (failed.get() != null) {
                throw new AssertionError("etcd did not start again", failed.get());
            }
        }
        Thread.sleep(300); // time for a parent-death signal of the ended thread to arrive, were there one
        System.out.println(etcd.pid() + " " + etcd.endpoint() + " " + etcd.dataDir());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
