package dev.netlib.ipam.etcd;

import dev.netlib.ipam.IpPoolContract;
import dev.netlib.ipam.IpamStore;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import io.etcd.jetcd.Client;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The IpPool contract on a real etcd; each test in its own key namespace. */
class EtcdIpPoolTest extends IpPoolContract {
    private static ThrowawayEtcd etcd;
    private static Client client;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdForTests.startOrSkip();
        client = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    @Override
    protected IpamStore newStore() {
        return EtcdIpamStore.builder().client(client).namespace("nli-test/" + UUID.randomUUID() + "/").build();
    }

    /** Every etcd write is a Raft commit with an fsync: fewer allocations keep the suite fast. */
    @Override
    protected int allocationsPerThread() {
        return 100;
    }
}
