package dev.netlib.ipam.etcd;

import dev.netlib.network.LostLeaseRace;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The network layer's lost-lease race on etcd: two clients ("hosts") on one namespace of a real etcd. */
class EtcdNetworkRaceTest {
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

    @Test
    void anUndoGivesBackOnlyItsOwnLeaseWhileAnotherHostAllocates() throws Exception {
        String ns = "nli-netrace/" + UUID.randomUUID() + "/";
        Path etc = Files.createTempDirectory("nli-etc-");
        try (EtcdIpamStore a = EtcdIpamStore.builder().endpoints(etcd.endpoint()).namespace(ns).timeout(Duration.ofSeconds(5)).build();
             EtcdIpamStore b = EtcdIpamStore.builder().endpoints(etcd.endpoint()).namespace(ns).timeout(Duration.ofSeconds(5)).build()) {
            LostLeaseRace.run(a, b, etc);
        } finally {
            try (var files = Files.walk(etc)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
