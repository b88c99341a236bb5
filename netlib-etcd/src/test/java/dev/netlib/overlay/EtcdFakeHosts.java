package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import dev.netlib.value.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Hosts on FakeKernel around a real etcd, for overlay tests about the store: each host its own
 * namespace with eth0 = 10.99.0.H/24, its own etcd client and agent, all under one fresh key prefix.
 * {@link #close()} stops the agents, the clients and etcd.
 */
final class EtcdFakeHosts implements AutoCloseable {
    final ThrowawayEtcd etcd;
    final Netlib root = Netlib.open(new FakeKernel());
    final String prefix = "fake-hosts-" + UUID.randomUUID() + "/";
    private final List<EtcdClusterStore> stores = new ArrayList<>();
    private final List<OverlayAgent> agents = new ArrayList<>();

    EtcdFakeHosts() throws Exception {
        etcd = EtcdForTests.startOrSkip();
    }

    /** Host {@code h}'s agent, with its builder's settings changed by {@code settings}. */
    OverlayAgent agent(int h, UnaryOperator<OverlayAgent.Builder> settings) {
        Netlib hn = root.in(root.namespaces().create("h" + h));
        hn.dummy("eth0").up().create();
        hn.addresses().add("eth0", "10.99.0." + h + "/24");
        EtcdClusterStore s = EtcdClusterStore.connect(etcd.endpoint());
        stores.add(s);
        OverlayAgent a = settings.apply(OverlayAgent.builder(hn, s, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h))
                .prefix(prefix).hostsRoot(null).recordDir(null)).open();
        agents.add(a);
        return a;
    }

    @Override
    public void close() throws Exception {
        agents.forEach(OverlayAgent::close);
        stores.forEach(EtcdClusterStore::close);
        etcd.close();
    }
}
