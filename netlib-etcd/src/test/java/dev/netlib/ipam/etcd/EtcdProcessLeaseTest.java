package dev.netlib.ipam.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.testing.etcd.ThrowawayEtcd;
import io.etcd.jetcd.Client;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The store's process lease is lost only when etcd says so: a lease revoked behind its back is
 * replaced, while a keep-alive stream broken by an etcd restart is resumed and the lease kept (taking
 * it for lost would let it expire, and other hosts would take this live process's operations for dead).
 */
class EtcdProcessLeaseTest {
    @Test
    void aLeaseRevokedByAnotherClientIsReplaced() throws Exception {
        try (ThrowawayEtcd etcd = EtcdForTests.startOrSkip();
             EtcdIpamStore store = EtcdIpamStore.builder().endpoints(etcd.endpoint()).leaseTtl(Duration.ofSeconds(3)).build();
             Client other = Client.builder().endpoints(etcd.endpoint()).build()) {
            long first = store.processLease();
            other.getLeaseClient().revoke(first).get();
            assertThat(store.leaseExists(first)).isFalse();
            // jetcd renews every third of the time to live (1 s) and then hears that the lease is gone
            long next = first;
            for (long deadline = System.nanoTime() + 5_000_000_000L; next == first && System.nanoTime() < deadline; Thread.sleep(100)) {
                next = store.processLease();
            }
            assertThat(next).as("a new lease after the revoke").isNotEqualTo(first);
            assertThat(store.leaseExists(next)).isTrue();
        }
    }

    @Test
    void aLeaseOutlivesAnEtcdRestartShorterThanItsTimeToLive() throws Exception {
        try (ThrowawayEtcd etcd = EtcdForTests.startOrSkip();
             EtcdIpamStore store = EtcdIpamStore.builder().endpoints(etcd.endpoint()).leaseTtl(Duration.ofSeconds(3)).build()) {
            long lease = store.processLease();
            etcd.stopProcess(); // the keep-alive stream breaks
            Thread.sleep(500);
            etcd.startProcess();
            Thread.sleep(4500); // longer than the time to live: only renewals keep the lease
            assertThat(store.leaseExists(lease)).as("lease still kept alive after the restart").isTrue();
            assertThat(store.processLease()).isEqualTo(lease);
        }
    }
}
