package dev.netlib.ipam.etcd;

import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/**
 * The etcd of netlib-etcd's tests: a {@link ThrowawayEtcd} with its data on tmpfs, member and
 * directory labelled {@code nli}.
 */
public final class EtcdForTests {
    private EtcdForTests() {}

    /**
     * Starts etcd for a test.
     *
     * @return the running etcd; the test closes it
     * @throws IllegalStateException when there is no etcd binary
     * @throws IOException when etcd does not start
     * @throws InterruptedException when interrupted while it starts
     */
    public static ThrowawayEtcd start() throws IOException, InterruptedException {
        return ThrowawayEtcd.startOnTmpfs("nli");
    }

    /**
     * Starts etcd for a test, or skips the test (a JUnit assumption) when there is no etcd binary,
     * saying so on standard output so that a skipped etcd test is seen in the build log.
     *
     * @return the running etcd; the test closes it
     * @throws IOException when etcd does not start
     * @throws InterruptedException when interrupted while it starts
     */
    public static ThrowawayEtcd startOrSkip() throws IOException, InterruptedException {
        if (ThrowawayEtcd.binary().isEmpty()) {
            String why = "etcd binary not found on PATH: install Debian's etcd-server (scripts/test.sh does) to run the etcd tests";
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        return start();
    }
}
