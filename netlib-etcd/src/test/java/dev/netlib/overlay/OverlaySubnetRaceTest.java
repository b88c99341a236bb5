package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.etcd.EtcdServer;
import dev.netlib.value.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hosts, each with its own etcd client, create overlapping overlay subnets at the same moment,
 * many times: exactly one of each pair wins, the other is told which network it overlaps. (Kernels
 * on FakeKernel: network creation touches only the store.) The hosts use disjoint VNI ranges, as
 * two differently configured hosts may: then their transactions share no VNI key, and only the
 * subnet check itself can make one of them fail.
 */
class OverlaySubnetRaceTest {
    private EtcdServer etcd;
    private final List<EtcdClusterStore> stores = new ArrayList<>();
    private final List<OverlayAgent> agents = new ArrayList<>();

    @BeforeEach
    void hosts() throws Exception {
        Assumptions.assumeTrue(EtcdServer.binary() != null, "etcd binary not found on PATH: install Debian's etcd-server");
        etcd = EtcdServer.start();
        Netlib root = Netlib.open(new FakeKernel());
        String prefix = "subnet-race-" + UUID.randomUUID() + "/";
        for (int h = 1; h <= 2; h++) {
            Netlib hn = root.in(root.namespaces().create("h" + h));
            hn.dummy("eth0").up().create();
            hn.addresses().add("eth0", "10.99.0." + h + "/24");
            EtcdClusterStore s = EtcdClusterStore.connect(etcd.endpoint());
            stores.add(s);
            agents.add(OverlayAgent.builder(hn, s, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h)).prefix(prefix)
                    .vniRange(h * 1000, h * 1000 + 999).hostsRoot(null).open());
        }
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(OverlayAgent::close);
        stores.forEach(EtcdClusterStore::close);
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void twoHostsCreatingOverlappingSubnetsAtOnceNeverBothWin() throws Exception {
        int rounds = 50; // the check-then-create it replaces lost in round 0 on every run tried
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < rounds; r++) {
                String wide = "10." + (r + 1) + ".0.0/16";
                String narrow = "10." + (r + 1) + ".128.0/17";
                int round = r;
                Future<Boolean> a = pool.submit(() -> race(agents.get(0), "a" + round, wide, start));
                Future<Boolean> b = pool.submit(() -> race(agents.get(1), "b" + round, narrow, start));
                boolean aWon = a.get(30, TimeUnit.SECONDS);
                boolean bWon = b.get(30, TimeUnit.SECONDS);
                assertThat(aWon ^ bWon).as("round %d: exactly one of %s and %s is created (a: %s, b: %s)", r, wide, narrow, aWon, bWon).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(agents.get(0).networks()).hasSize(rounds);
    }

    private static boolean race(OverlayAgent agent, String name, String subnet, CyclicBarrier start) throws Exception {
        start.await(10, TimeUnit.SECONDS);
        try {
            agent.createNetwork(name, subnet);
            return true;
        } catch (InvalidConfigException lost) {
            assertThat(lost).hasMessageContaining("overlaps");
            return false;
        }
    }
}
