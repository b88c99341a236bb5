package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.LinkInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios S3 (the manual way) and S6 (inspect), on the real kernel and on FakeKernel. */
class S3S6Test {
    @TempDir
    Path etc;

    static void checkS3(S3ManualWay.Result r) {
        assertThat(r.eth0()).isEqualTo("192.168.10.11/24");
        assertThat(r.eth1()).isEqualTo("192.168.20.11/24");
        assertThat(r.defaultVia()).isEqualTo("192.168.10.1");
        assertThat(r.resolvConf()).isEqualTo("nameserver 8.8.8.8\n");
    }

    static void checkS6(S6Inspect.Result r) {
        LinkInfo eth0 = r.box1Links().stream().filter(l -> l.name().equals("eth0")).findFirst().orElseThrow();
        assertThat(eth0.isVeth()).isTrue();
        assertThat(eth0.displayName()).startsWith("eth0@if");
        assertThat(eth0.linkNetnsId()).isGreaterThanOrEqualTo(0); // the peer lives in another namespace
        assertThat(eth0.mac()).hasToString("02:42:0a:42:00:02");
        assertThat(r.bridgePorts()).isEqualTo(r.endpointHostEnds()).hasSize(2);
        assertThat(r.inspect()).contains("\"Subnet\": \"10.66.0.0/24\"", "\"Name\": \"box1\"", "\"Aliases\": [\"www\"]", "\"Name\": \"box2\"");
    }

    @Test
    void s3AndS6OnTheRealKernel() {
        try (Netlib opened = KernelAccess.openOrSkip("S3/S6 kernel test");
             var backend = NftablesBridge.complete(opened.backend());
             Netlib root = Netlib.open(backend)) {
            S3ManualWay.Result r = S3ManualWay.run(root, true, etc, System.out);
            checkS3(r);
            assertThat(r.hostToNs1()).isEqualTo("ns1");
            assertThat(r.hostToEth1()).isEqualTo("ns1");
            checkS6(S6Inspect.run(root, true, etc, System.out));
        }
    }

    @Test
    void s3AndS6OnFakeKernel() {
        try (Netlib root = Netlib.open(new FakeKernel())) {
            checkS3(S3ManualWay.run(root, false, etc, System.out));
            checkS6(S6Inspect.run(root, false, etc, System.out));
        }
    }
}
