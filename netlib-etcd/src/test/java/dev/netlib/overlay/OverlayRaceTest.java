package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.etcd.EtcdServer;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Races between three hosts on a real etcd (kernels on FakeKernel: these are about the store): many
 * parallel joins on one /24, and networks created and deleted in parallel. Counts are scaled down
 * from the (3 x 80 joins, 200 networks) to keep the suite fast: every etcd write is an fsync.
 */
class OverlayRaceTest {
    private EtcdServer etcd;
    private final List<EtcdClusterStore> stores = new ArrayList<>();
    private final List<OverlayAgent> agents = new ArrayList<>();
    private Netlib root;
    private final String prefix = "race-" + UUID.randomUUID() + "/";

    @BeforeEach
    void hosts() throws Exception {
        Assumptions.assumeTrue(EtcdServer.binary() != null, "etcd binary not found on PATH: install Debian's etcd-server");
        etcd = EtcdServer.start();
        root = Netlib.open(new FakeKernel());
        for (int h = 1; h <= 3; h++) {
            Namespace ns = root.namespaces().create("h" + h);
            Netlib hn = root.in(ns);
            hn.dummy("eth0").up().create();
            hn.addresses().add("eth0", "10.99.0." + h + "/24");
            EtcdClusterStore s = EtcdClusterStore.connect(etcd.endpoint());
            stores.add(s);
            agents.add(OverlayAgent.builder(hn, s, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h)).prefix(prefix).hostsRoot(null).open());
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
    void threeHostsJoiningInParallelGetDistinctAddressesNeverTheNetworkOrGateway() throws Exception {
        OverlayNetwork n = agents.get(0).createNetwork("big", "10.0.0.0/24");
        int perHost = 40; // the brief's 80 per host runs on the in-memory store (FakeOverlayTest); 40 keeps this etcd run short
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<OverlayEndpoint>> joins = new ArrayList<>();
        for (int i = 0; i < perHost; i++) {
            for (int h = 0; h < 3; h++) {
                OverlayAgent a = agents.get(h);
                String name = "c" + h + "-" + i;
                joins.add(pool.submit(() -> a.connect(n, root.namespaces().create(name), "eth0", name)));
            }
        }
        Set<InetAddress> ips = new HashSet<>();
        for (Future<OverlayEndpoint> f : joins) {
            ips.add(f.get().ip());
        }
        pool.shutdown();
        assertThat(ips).hasSize(3 * perHost);
        assertThat(ips).doesNotContain(IpAddresses.parse("10.0.0.0"), IpAddresses.parse("10.0.0.1"), IpAddresses.parse("10.0.0.255"));
        for (OverlayAgent a : agents) {
            OverlayKernelTest.awaitMillis(a.hostId() + " equals the store", () -> a.diff().isEmpty(), 20000);
        }
    }

    @Test
    void networksCreatedAndDeletedInParallelKeepVnisAndNetworksABijection() throws Exception {
        int perHost = 15; // FakeOverlayTest runs 3 x 40 on the in-memory store
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            OverlayAgent a = agents.get(h);
            int host = h;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < perHost; i++) {
                        String name = "n" + host + "-" + i;
                        String subnet = "10." + (host + 1) + "." + i + ".0/24";
                        a.createNetwork(name, subnet);
                        a.deleteNetwork(name);
                        a.createNetwork(name, subnet); // re-create: no "file exists", no leaked VNI
                        if (i % 3 == 0) {
                            a.deleteNetwork(name);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        EtcdClusterStore s = stores.get(0);
        Map<String, String> vniToNet = new HashMap<>();
        for (KeyValue kv : s.range(prefix + "vni/").kvs()) {
            vniToNet.put(kv.key().substring((prefix + "vni/").length()), kv.value());
        }
        List<OverlayNetwork> nets = agents.get(0).networks();
        int expected = 3 * (perHost - (perHost + 2) / 3);
        assertThat(nets).hasSize(expected);
        assertThat(vniToNet).hasSize(expected);
        for (OverlayNetwork n : nets) {
            assertThat(vniToNet.get(Integer.toString(n.vni()))).isEqualTo(n.id());
        }
        assertThat(s.range(prefix + "network-names/").kvs()).hasSize(expected);
    }
}
