package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.test.NetlibTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario S1 on FakeKernel, as the demo runs it without root: same steps, reachability from the
 * model. netlib-test's extension provides the fake and checks that the scenario left nothing behind.
 */
@NetlibTest
class S1FakeTest {
    @TempDir
    Path etc;

    @Test
    void s1OnFakeKernel(Netlib root, FakeKernel fake) {
        S1BridgeNetworks.Result r = S1BridgeNetworks.run(root, false, etc, System.out);
        S1KernelTest.check(r);
        assertThat(r.box2Hosts()).contains("\tbox3\n").contains("\tbox4\n").doesNotContain("box1");
        // the fast path: each container end born inside its namespace as ethN, in the same request
        assertThat(fake.history()).anyMatch(c -> c.matches("ip -n nlw-s1-\\w+-host link add name veth\\w{7} .*master docker0 up type veth peer name eth0 .*netns nlw-s1-\\w+-box1.*"));
        assertThat(fake.history()).anyMatch(c -> c.contains("masquerade"));
        assertThat(root.namespaces().list()).isEmpty(); // the sandbox is gone
    }
}
