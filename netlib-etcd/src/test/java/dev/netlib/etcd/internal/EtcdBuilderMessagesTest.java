package dev.netlib.etcd.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.ipam.IpamStoreException;
import dev.netlib.ipam.etcd.EtcdIpamStore;
import io.etcd.jetcd.Client;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Both stores' configuration and connection messages, word for word as each store wrote them before
 * they shared {@link ConnectionSettings} and {@link EtcdConnection}. No etcd needed: a listening socket
 * that never answers stands for an etcd that does not answer (the TCP handshake completes in the
 * kernel's backlog, gRPC then waits), so the call times out at the same place every run.
 */
class EtcdBuilderMessagesTest {
    @Test
    void badSettingsFailAtTheSetterOrAtBuildNamingTheStore() {
        assertThatThrownBy(() -> EtcdClusterStore.builder().endpoints()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("etcd cluster store needs at least one endpoint URL like http://127.0.0.1:2379");
        assertThatThrownBy(() -> EtcdIpamStore.builder().endpoints((String[]) null)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("etcd store needs at least one endpoint URL like http://127.0.0.1:2379");
        assertThatThrownBy(() -> EtcdClusterStore.builder().build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("etcd cluster store needs endpoints(...) or client(...)");
        assertThatThrownBy(() -> EtcdIpamStore.builder().build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("etcd store needs endpoints(...) or client(...)");
        assertThatThrownBy(() -> EtcdClusterStore.builder().timeout(Duration.ZERO)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("etcd timeout must be positive, got PT0S");
        assertThatThrownBy(() -> EtcdIpamStore.builder().timeout(Duration.ofSeconds(-1))).isInstanceOf(InvalidConfigException.class)
                .hasMessage("etcd timeout must be positive, got PT-1S");
        assertThatThrownBy(() -> EtcdIpamStore.builder().client(null)).isInstanceOf(NullPointerException.class).hasMessage("client");
    }

    @Test
    void anEtcdThatDoesNotAnswerFailsTheCallNamingEndpointsAndOperation() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort();
            assertThatThrownBy(() -> EtcdClusterStore.builder().endpoints(url).timeout(Duration.ofMillis(300)).build())
                    .isExactlyInstanceOf(ClusterStoreException.class)
                    .hasMessage("cannot reach etcd at " + url + ": etcd at " + url + " did not answer within 300 ms to get netlib/v1/.ping"
                            + " (is etcd running and reachable?); start etcd or fix the endpoint URL");
            try (EtcdIpamStore store = EtcdIpamStore.builder().endpoints(url).timeout(Duration.ofMillis(300)).build()) {
                assertThatThrownBy(() -> store.get("pools/x")).isExactlyInstanceOf(IpamStoreException.class)
                        .hasMessage("etcd at " + url + " did not answer within 300 ms to read pools/x (is etcd running and reachable?)");
            }
            try (Client mine = Client.builder().endpoints(url).build();
                 EtcdIpamStore store = EtcdIpamStore.builder().client(mine).timeout(Duration.ofMillis(300)).build()) {
                assertThatThrownBy(() -> store.list("pools/")).isExactlyInstanceOf(IpamStoreException.class)
                        .hasMessage("etcd at (caller's client) did not answer within 300 ms to list pools/* (is etcd running and reachable?)");
            }
        }
    }
}
