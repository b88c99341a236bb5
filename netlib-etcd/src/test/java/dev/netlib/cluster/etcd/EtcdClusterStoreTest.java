package dev.netlib.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreContract;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster store contract on a real etcd started on 127.0.0.1 for this class. */
class EtcdClusterStoreTest extends ClusterStoreContract {
    private static ThrowawayEtcd etcd;

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
    protected ClusterStore newStore() {
        return EtcdClusterStore.connect(etcd.endpoint());
    }

    @Override
    protected void passTime(Duration ttl) throws InterruptedException {
        Thread.sleep(ttl.toMillis());
    }

    @Test
    void anUnreachableEtcdFailsAtConnectNamingTheEndpoint() {
        assertThatThrownBy(() -> EtcdClusterStore.builder().endpoints("http://127.0.0.1:1").timeout(Duration.ofMillis(500)).build())
                .isInstanceOf(ClusterStoreException.class)
                .hasMessageContaining("http://127.0.0.1:1");
    }
}
