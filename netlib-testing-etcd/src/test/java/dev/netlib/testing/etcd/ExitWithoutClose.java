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
     * Starts etcd (label {@code args[0]}) on a short-lived thread and sleeps until killed.
     *
     * @param args the label
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
        Thread.sleep(300); // time for a parent-death signal of the ended thread to arrive, were there one
        ThrowawayEtcd etcd = started.get();
        System.out.println(etcd.pid() + " " + etcd.endpoint() + " " + etcd.dataDir());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
