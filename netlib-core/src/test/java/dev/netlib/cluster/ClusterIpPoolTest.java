package dev.netlib.cluster;

import dev.netlib.ipam.IpPoolContract;
import dev.netlib.ipam.IpamStore;
import org.junit.jupiter.api.AfterEach;

/** The IpPool contract through the cluster store's IPAM view, on the in-memory cluster store. */
class ClusterIpPoolTest extends IpPoolContract {
    private MemoryClusterStore cluster;

    @Override
    protected IpamStore newStore() {
        cluster = MemoryClusterStore.create();
        return new ClusterIpamStore(cluster, "netlib/v1/ipam/");
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }
}
