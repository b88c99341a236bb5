package dev.netlib.examples.scenarios;

import dev.netlib.ipam.etcd.EtcdIpamStore;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ManyProcessesKernelTest} on an etcd store (a throwaway etcd on 127.0.0.1 started here): N
 * JVMs on one host connecting, failing and disconnecting the same container names at once while this
 * JVM reconciles and kills one of them. Every JVM holds its own etcd lease; on one machine liveness
 * is still proven by /proc (pid and start time), which is exact, the lease being for other machines.
 */
class EtcdManyProcessesKernelTest {
    @TempDir
    Path tmp;

    @Test
    void jvmsOnOneEtcdStoreNeverDuplicateAndLeaveStoreEqualToKernel() throws Exception {
        // as root with no etcd the test must not pass silently: it fails (KernelAccess skips non-root)
        Assumptions.assumeTrue(ThrowawayEtcd.binary().isPresent() || !KernelAccess.isRoot(),
                "etcd binary not found on PATH and not root: install Debian's etcd-server");
        try (ThrowawayEtcd etcd = ThrowawayEtcd.startOnTmpfs("nlm")) {
            String namespace = "nl-mp/" + UUID.randomUUID() + "/";
            try (EtcdIpamStore store = EtcdIpamStore.builder().endpoints(etcd.endpoint()).namespace(namespace)
                    .timeout(java.time.Duration.ofSeconds(30)).build()) {
                ManyProcessesKernelTest.run(tmp, "me", store, "etcd:" + etcd.endpoint() + "#" + namespace);
            }
        }
    }
}
