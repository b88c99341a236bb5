package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario S7 through the network layer's macvlan driver (S7Macvlan), on the real kernel and on FakeKernel; S4 has S4PublishingTest. */
class S7MacvlanTest {
    @TempDir
    Path etc;

    @Test
    void s7OnTheRealKernel() {
        try (Netlib root = KernelAccess.openOrSkip("S7 kernel test")) {
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
