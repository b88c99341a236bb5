package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stall detection on a real etcd (kernels on FakeKernel): etcd's progress answers keep a quiet watch
 * alive, and a frozen etcd (SIGSTOP: connections open, nothing delivered) gets the watch replaced,
 * after which changes arrive again.
 */
class OverlayWatchStallEtcdTest {
    private EtcdFakeHosts hosts;

    @BeforeEach
    void start() throws Exception {
        hosts = new EtcdFakeHosts();
    }

    @AfterEach
    void stop() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void aQuietWatchStaysAndAFrozenEtcdGetsItReplaced() throws Exception {
        // 500 ms: a progress answer crosses gRPC and two threads; on a machine at load 14 that took
        // over 100 ms, so a 100 ms interval (a 300 ms bound) saw false stalls
        OverlayAgent watcher = hosts.agent(1, b -> b.watchProgress(Duration.ofMillis(500)));
        OverlayAgent other = hosts.agent(2, b -> b);
        Thread.sleep(3000); // six intervals without a change
        assertThat(watcher.stalledWatches()).as("etcd's progress answers keep a quiet watch alive").isZero();
        assertThat(watcher.relists()).isEqualTo(1);

        hosts.etcd.freeze(true);
        try {
            Thread.sleep(2500); // longer than the 1.5 s bound plus one check
        } finally {
            hosts.etcd.freeze(false);
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (watcher.stalledWatches() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(watcher.stalledWatches()).as("the silent watch was found stalled").isPositive();
        OverlayNetwork n = other.createNetwork("after", "10.0.0.0/24");
        other.connect(n, hosts.root.namespaces().create("web02"), "eth0", "web02");
        while (watcher.endpoints(n).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(watcher.endpoints(n)).as("changes arrive on the new watch").hasSize(1);
    }
}
