package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios S4 (publishing, masquerade) and S7 (flat macvlan network), on the real kernel and on FakeKernel. */
class S4S7Test {
    @TempDir
    Path etc;

    @Test
    void s4OnTheRealKernel() {
        try (Netlib opened = KernelAccess.openOrSkip("S4 kernel test");
             var backend = NftablesBridge.complete(opened.backend());
             Netlib root = Netlib.open(backend)) {
            S4Publishing.Result r = S4Publishing.run(root, true, etc, System.out);
            assertThat(r.fromOutside()).as("from another host").isEqualTo("box1");
            assertThat(r.fromHost()).as("from the host itself").isEqualTo("box1");
            assertThat(r.outbound()).as("box1 reaching out through masquerade").isEqualTo("outside");
            assertThat(r.afterDisconnect()).as("the mapping goes with the endpoint").isNull();
            assertThat(r.ipForward()).isEqualTo("1");
        }
    }

    @Test
    void s4OnFakeKernel() {
        try (Netlib root = Netlib.open(new FakeKernel())) {
            assertThat(S4Publishing.run(root, false, etc, System.out).ipForward()).isEqualTo("1");
        }
    }

    @Test
    void s7OnTheRealKernel() {
        try (Netlib opened = KernelAccess.openOrSkip("S7 kernel test");
             var backend = NftablesBridge.complete(opened.backend());
             Netlib root = Netlib.open(backend)) {
            S7Macvlan.Result r = S7Macvlan.run(root, true, etc, System.out);
            assertThat(r.kind()).isEqualTo("macvlan");
            assertThat(r.flat1()).isEqualTo("192.168.77.10");
            assertThat(r.flat2()).isEqualTo("192.168.77.1");
            assertThat(r.reply()).isEqualTo("flat2");
            assertThat(r.afterDisconnect()).isNull();
        }
    }

    @Test
    void s7OnFakeKernel() {
        try (Netlib root = Netlib.open(new FakeKernel())) {
            S7Macvlan.Result r = S7Macvlan.run(root, false, etc, System.out);
            assertThat(r.kind()).isEqualTo("macvlan");
            assertThat(r.flat2()).isEqualTo("192.168.77.1");
        }
    }
}
