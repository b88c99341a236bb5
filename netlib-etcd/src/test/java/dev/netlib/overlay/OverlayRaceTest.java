package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Races between three hosts at the full size, on the real kernel and a real etcd: 3 x 80
 * parallel joins on one /24, and 200 networks created, joined, left, deleted and re-created in
 * parallel (each join makes the network's bridge and VXLAN device, so a re-create that reuses a VNI
 * meets the kernel's device names again). After each, the kernel of every host equals the store.
 */
class OverlayRaceTest {
    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(3, Duration.ofSeconds(20), b -> b);

    @Test
    void threeHostsTimesEightyParallelJoinsOnOneSlash24GetDistinctAddressesNeverTheNetworkOrGateway() throws Exception {
        OverlayLab lab = hosts.lab();
        List<OverlayAgent> agents = hosts.agents();
        OverlayNetwork n = agents.get(0).createNetwork("big", "10.0.0.0/24");
        int perHost = 80;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<OverlayEndpoint>> joins = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < perHost; i++) {
                for (int h = 0; h < 3; h++) {
                    OverlayAgent a = agents.get(h);
                    String name = "c" + h + "-" + i;
                    joins.add(pool.submit(() -> a.connect(n, lab.container(name), "eth0", name)));
                }
            }
            Set<InetAddress> ips = new HashSet<>();
            for (Future<OverlayEndpoint> f : joins) {
                ips.add(f.get().ip());
            }
            assertThat(ips).hasSize(3 * perHost);
            assertThat(ips).doesNotContain(IpAddresses.parse("10.0.0.0"), IpAddresses.parse("10.0.0.1"), IpAddresses.parse("10.0.0.255"));
        } finally {
            pool.shutdown();
        }
        long joined = (System.nanoTime() - start) / 1_000_000;
        for (OverlayAgent a : agents) {
            OverlayKernelTest.awaitMillis(a.hostId() + " programmed all 160 remote endpoints",
                    () -> a.endpoints(n).size() == 3 * perHost && a.diff().isEmpty(), 30000);
        }
        System.out.printf("240 parallel joins on etcd + kernel: all joined in %d ms, every host programmed in %d ms%n",
                joined, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void twoHundredNetworksCreatedJoinedAndDeletedInParallelKeepVnisAndNetworksABijection() throws Exception {
        OverlayLab lab = hosts.lab();
        List<OverlayAgent> agents = hosts.agents();
        int total = 200;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int h = 0; h < 3; h++) {
            OverlayAgent a = agents.get(h);
            int host = h;
            Namespace ctr = lab.container("churn" + h);
            Thread t = new Thread(() -> {
                try {
                    for (int i = host; i < total; i += 3) {
                        String name = "n" + i;
                        String subnet = "10." + (100 + i / 250) + "." + (i % 250) + ".0/24";
                        OverlayNetwork n = a.createNetwork(name, subnet);
                        a.disconnect(a.connect(n, ctr, "eth0", null)); // makes and removes nlb-/nlv-VNI
                        a.deleteNetwork(name);
                        n = a.createNetwork(name, subnet); // re-create, most likely on the VNI just freed
                        OverlayEndpoint e = a.connect(n, ctr, "eth0", null); // no "file exists" from the old devices
                        a.disconnect(e);
                        if (i % 3 == 0) {
                            a.deleteNetwork(name);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "churn-h" + (h + 1));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        System.out.printf("200 networks x (create, join, leave, delete, re-create, join, leave) on 3 hosts: %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        EtcdClusterStore s = lab.store();
        Map<String, String> vniToNet = new HashMap<>();
        for (KeyValue kv : s.range(lab.prefix + "vni/").kvs()) {
            vniToNet.put(kv.key().substring((lab.prefix + "vni/").length()), kv.value());
        }
        List<OverlayNetwork> nets = agents.get(0).networks();
        int expected = total - (total + 2) / 3;
        assertThat(nets).hasSize(expected);
        assertThat(vniToNet).hasSize(expected);
        for (OverlayNetwork n : nets) {
            assertThat(vniToNet.get(Integer.toString(n.vni()))).isEqualTo(n.id());
        }
        assertThat(s.range(lab.prefix + "network-names/").kvs()).hasSize(expected);
        for (OverlayAgent a : agents) {
            a.sync();
            OverlayKernelTest.awaitMillis(a.hostId() + " has no overlay device left", () -> lab.host(Integer.parseInt(a.hostId().value().substring(1)))
                    .links().stream().noneMatch(l -> l.name().startsWith("nlv-") || l.name().startsWith("nlb-")), 10000);
        }
    }
}
