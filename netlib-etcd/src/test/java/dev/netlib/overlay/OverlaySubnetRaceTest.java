package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.error.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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
    private EtcdFakeHosts hosts;
    private final List<OverlayAgent> agents = new ArrayList<>();

    @BeforeEach
    void hosts() throws Exception {
        hosts = new EtcdFakeHosts();
        for (int h = 1; h <= 2; h++) {
            int first = h * 1000;
            agents.add(hosts.agent(h, b -> b.vniRange(first, first + 999)));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (hosts != null) {
            hosts.close();
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
