package dev.netlib.cluster.etcd;

import dev.netlib.cluster.ClusterIpamStore;
import dev.netlib.ipam.IpPoolContract;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The IpPool contract through the cluster store's IPAM view on a real etcd: how overlay networks allocate addresses. */
class EtcdClusterIpPoolTest extends IpPoolContract {
    private static ThrowawayEtcd etcd;
    private EtcdClusterStore cluster;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdForTests.startOrSkip();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected IpamStore newStore() {
        cluster = EtcdClusterStore.connect(etcd.endpoint());
        return new ClusterIpamStore(cluster, "t-" + UUID.randomUUID() + "/ipam/");
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    /** Every etcd write is a Raft commit with an fsync: fewer allocations keep the suite fast. */
    @Override
    protected int allocationsPerThread() {
        return 100;
    }
}
