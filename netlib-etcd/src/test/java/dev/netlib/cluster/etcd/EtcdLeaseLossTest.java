package dev.netlib.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.LeaseNotFoundException;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Txn;
import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import io.etcd.jetcd.Client;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A lease revoked behind the store's back (by another client) is reported as {@link
 * LeaseNotFoundException} naming that lease, from etcd's NOT_FOUND status; an etcd that does not
 * answer (frozen) or is down is a {@link ClusterStoreException} and never a lost lease, so the
 * overlay does not re-register a host whose lease is fine.
 */
class EtcdLeaseLossTest {
    @Test
    void aLeaseRevokedByAnotherClientIsLeaseNotFoundNamingIt() throws Exception {
        try (ThrowawayEtcd etcd = EtcdForTests.startOrSkip();
             EtcdClusterStore store = EtcdClusterStore.connect(etcd.endpoint());
             Client other = Client.builder().endpoints(etcd.endpoint()).build()) {
            long kept = store.grantLease(Duration.ofSeconds(30));
            long revoked = store.grantLease(Duration.ofSeconds(30));
            other.getLeaseClient().revoke(revoked).get();

            assertThatThrownBy(() -> store.keepAlive(revoked)).isExactlyInstanceOf(LeaseNotFoundException.class)
                    .hasMessageContaining("lease " + Long.toHexString(revoked) + " not found");
            assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("nli-loss/a", "v", revoked)))).isExactlyInstanceOf(LeaseNotFoundException.class)
                    .hasMessageContaining("lease " + Long.toHexString(revoked) + " not found");
            // two leases in one transaction: etcd does not say which is gone, the store finds out
            assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("nli-loss/b", "v", kept), Op.put("nli-loss/c", "v", revoked))))
                    .isExactlyInstanceOf(LeaseNotFoundException.class)
                    .hasMessageContaining("lease " + Long.toHexString(revoked) + " not found");
            assertThat(store.get("nli-loss/b")).as("the transaction wrote nothing").isEmpty();
            store.revokeLease(revoked); // gone already: not an error
            assertThat(store.keepAlive(kept)).isPositive();
        }
    }

    @Test
    void aFrozenOrStoppedEtcdIsNotALostLease() throws Exception {
        try (ThrowawayEtcd etcd = EtcdForTests.startOrSkip();
             // 2 s: the builder's first request (channel set-up included) took over 700 ms in a loaded CI run
             EtcdClusterStore store = EtcdClusterStore.builder().endpoints(etcd.endpoint()).timeout(Duration.ofSeconds(2)).build()) {
            long lease = store.grantLease(Duration.ofSeconds(60));
            etcd.freeze(true);
            try {
                assertThatThrownBy(() -> store.keepAlive(lease)).isExactlyInstanceOf(ClusterStoreException.class)
                        .hasMessageContaining("did not answer within 2000 ms to lease keep-alive " + Long.toHexString(lease));
                // (not a revoke here: etcd would carry out the request on the wire once thawed)
                assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("nli-loss/e", "v", lease)))).isExactlyInstanceOf(ClusterStoreException.class);
            } finally {
                etcd.freeze(false);
            }
            assertThat(store.keepAlive(lease)).as("the lease outlived the freeze").isPositive();

            etcd.stopProcess();
            try {
                assertThatThrownBy(() -> store.keepAlive(lease)).isExactlyInstanceOf(ClusterStoreException.class);
                assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("nli-loss/d", "v", lease)))).isExactlyInstanceOf(ClusterStoreException.class);
            } finally {
                etcd.startProcess();
            }
        }
    }
}
