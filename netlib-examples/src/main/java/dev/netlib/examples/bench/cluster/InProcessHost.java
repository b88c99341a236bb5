package dev.netlib.examples.bench.cluster;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.overlay.Cluster;
import dev.netlib.overlay.HostId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host in the bench's JVM: {@code Networks} on the host namespace, joined to the cluster through
 * its own etcd client (counted). A crash cuts that client off, so the lease expires after its TTL.
 */
final class InProcessHost implements ClusterHost {
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(15);

    private final int index;
    private final Netlib root;
    private final CountingClusterStore store;
    private final Networks networks;
    private final Map<String, Namespace> containers = new ConcurrentHashMap<>();
    private volatile boolean crashed;
    private boolean closed;

    InProcessHost(int index, Netlib root, Netlib host, String etcd, Duration leaseTtl, boolean names) {
        this.index = index;
        this.root = root;
        // 15 s per call instead of the library's 5 s: a cold child JVM on a loaded 2-core machine needs
        // longer than 5 s for its first etcd request (gRPC and Netty classes loading)
        this.store = new CountingClusterStore(EtcdClusterStore.builder().endpoints(etcd).timeout(STORE_TIMEOUT).build());
        try {
            this.networks = open(host, store, index, leaseTtl, names);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * The host's {@code Networks}: memory store for local records, the cluster for global ones; with
     * {@code names}, hosts files in /etc/netns (the network layer's and the overlay agent's), else none.
     */
    static Networks open(Netlib host, CountingClusterStore store, int index, Duration leaseTtl, boolean names) {
        return Networks.builder(host).store(new MemoryIpamStore()).etcNetns(names ? SimCluster.ETC_NETNS : null)
                .cluster(Cluster.of(store, HostId.of("h" + index), SimCluster.vtepAddress(index),
                        s -> (names ? s : s.hostsRoot(null)).leaseTtl(leaseTtl)
                                .recordDir(SimCluster.recordDir(host.ref().name().orElseThrow()))))
                .open();
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public void createNetwork(String network, String subnet) {
        networks.create(network).driver(DriverKind.OVERLAY).subnet(subnet).create();
    }

    @Override
    public Joined connect(String network, String container) {
        Namespace ns = containers.computeIfAbsent(container, c -> root.namespaces().open(c));
        Endpoint e = networks.endpoint(network, ns).connect();
        return new Joined(index, container, e.address(), e.mac().toString(), System.nanoTime());
    }

    @Override
    public long disconnect(String network, String container) {
        networks.disconnect(network, container);
        long t = System.nanoTime();
        Namespace ns = containers.remove(container);
        if (ns != null) {
            ns.close();
        }
        return t;
    }

    @Override
    public StoreCounters counters() {
        return store.counters();
    }

    @Override
    public long threads() {
        String mark = "-h" + index + "-";
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains(mark)).count();
    }

    @Override
    public long rssBytes() {
        return -1;
    }

    @Override
    public void crash() {
        crashed = true;
        store.sever();
    }

    @Override
    public boolean crashed() {
        return crashed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            networks.close();
        } finally {
            store.close();
        }
    }
}
