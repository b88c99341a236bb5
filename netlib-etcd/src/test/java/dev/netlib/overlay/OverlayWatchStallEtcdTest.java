package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.etcd.EtcdServer;
import dev.netlib.value.IpAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stall detection on a real etcd (kernels on FakeKernel): etcd's progress answers keep a quiet watch
 * alive, and a frozen etcd (SIGSTOP: connections open, nothing delivered) gets the watch replaced,
 * after which changes arrive again.
 */
class OverlayWatchStallEtcdTest {
    private EtcdServer etcd;
    private Netlib root;
    private final List<EtcdClusterStore> stores = new ArrayList<>();
    private final List<OverlayAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(EtcdServer.binary() != null, "etcd binary not found on PATH: install Debian's etcd-server");
        etcd = EtcdServer.start();
        root = Netlib.open(new FakeKernel());
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(OverlayAgent::close);
        stores.forEach(EtcdClusterStore::close);
        if (etcd != null) {
            etcd.close();
        }
    }

    private OverlayAgent agent(int h, String prefix, Duration progress) {
        Netlib hn = root.in(root.namespaces().create("h" + h));
        hn.dummy("eth0").up().create();
        hn.addresses().add("eth0", "10.99.0." + h + "/24");
        EtcdClusterStore s = EtcdClusterStore.connect(etcd.endpoint());
        stores.add(s);
        OverlayAgent a = OverlayAgent.builder(hn, s, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h)).prefix(prefix)
                .hostsRoot(null).watchProgress(progress).open();
        agents.add(a);
        return a;
    }

    @Test
    void aQuietWatchStaysAndAFrozenEtcdGetsItReplaced() throws Exception {
        String prefix = "stall-" + UUID.randomUUID() + "/";
        OverlayAgent watcher = agent(1, prefix, Duration.ofMillis(100));
        OverlayAgent other = agent(2, prefix, Duration.ofSeconds(2));
        Thread.sleep(1500); // fifteen intervals without a change
        assertThat(watcher.stalledWatches()).as("etcd's progress answers keep a quiet watch alive").isZero();
        assertThat(watcher.relists()).isEqualTo(1);

        etcd.freeze(true);
        try {
            Thread.sleep(1000);
        } finally {
            etcd.freeze(false);
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (watcher.stalledWatches() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(watcher.stalledWatches()).as("the silent watch was found stalled").isPositive();
        OverlayNetwork n = other.createNetwork("after", "10.0.0.0/24");
        other.connect(n, root.namespaces().create("web02"), "eth0", "web02");
        while (watcher.endpoints(n).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(watcher.endpoints(n)).as("changes arrive on the new watch").hasSize(1);
    }
}
