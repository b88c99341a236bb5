package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.cluster.MemoryClusterStore;
import dev.netlib.fake.FakeKernel;
import dev.netlib.value.IpAddresses;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A watch that stays open but delivers nothing is noticed by the missing progress answers, cancelled
 * and replaced by a snapshot and a new watch, after which the host programs what it missed; a quiet
 * but healthy watch is never taken for a stalled one.
 */
class OverlayWatchStallTest {
    private final MemoryClusterStore store = MemoryClusterStore.create();
    private final WatchFaultStore stalling = new WatchFaultStore(store);
    private final Netlib root = Netlib.open(new FakeKernel());
    private OverlayAgent h2;
    private OverlayAgent h3;

    @AfterEach
    void stop() {
        if (h2 != null) {
            h2.close();
        }
        if (h3 != null) {
            h3.close();
        }
        store.close();
    }

    private Netlib host(int h) {
        Netlib hn = root.in(root.namespaces().create("h" + h));
        hn.dummy("eth0").up().create();
        hn.addresses().add("eth0", "10.99.0." + h + "/24");
        return hn;
    }

    @Test
    void aStalledWatchIsReplacedAndNothingIsMissed() throws Exception {
        Netlib n2 = host(2);
        h2 = OverlayAgent.builder(n2, stalling, HostId.of("h2"), IpAddresses.parse("10.99.0.2")).hostsRoot(null).recordDir(null)
                .watchProgress(Duration.ofMillis(250)).open();
        h3 = OverlayAgent.builder(host(3), store, HostId.of("h3"), IpAddresses.parse("10.99.0.3")).hostsRoot(null).recordDir(null).open();
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        h2.connect(n, root.namespaces().create("web01"), "eth0", "web01");
        Thread.sleep(1500); // six intervals without a change: the progress answers keep the watch alive
        assertThat(h2.stalledWatches()).as("a quiet watch is not a stalled one").isZero();
        long relists = h2.relists();

        stalling.stallWatches();
        OverlayEndpoint web02 = h3.connect(n, root.namespaces().create("web02"), "eth0", "web02");
        long start = System.nanoTime();
        while (n2.neighbors().list().stream().noneMatch(x -> x.address().equals(web02.ip()))) {
            assertThat((System.nanoTime() - start) / 1_000_000).as("h2 programmed web02 after replacing its watch").isLessThan(5000);
            Thread.sleep(5);
        }
        assertThat(h2.stalledWatches()).isEqualTo(1);
        assertThat(h2.relists()).isEqualTo(relists + 1);
        assertThat(h2.diff()).isEmpty();
    }
}
