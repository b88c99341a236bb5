package dev.netlib.testing.etcd;

/**
 * A JVM that starts etcd, says {@code PID DATADIR} on one line and waits, never closing it: {@link
 * ThrowawayEtcdTest} ends it with SIGTERM and checks that the shutdown hook removed etcd and its data.
 */
public final class ExitWithoutClose {
    private ExitWithoutClose() {}

    /**
     * Starts etcd (label {@code args[0]}) and sleeps until killed.
     *
     * @param args the label
     * @throws Exception when etcd does not start
     */
    public static void main(String[] args) throws Exception {
        ThrowawayEtcd etcd = ThrowawayEtcd.startOnTmpfs(args[0]);
        System.out.println(etcd.pid() + " " + etcd.dataDir());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
