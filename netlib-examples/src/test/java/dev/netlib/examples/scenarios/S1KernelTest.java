package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.test.RealKernel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario S1 on the real kernel inside sandbox namespaces, proven by TCP connections. It runs from
 * netlib-test's throwaway namespace, whose extension skips it without the capabilities and checks
 * that it left no namespace, link, nft rule, mount or thread behind.
 */
@RealKernel
class S1KernelTest {
    @TempDir
    Path etc;

    // box1 box2 box3 box4 box5 box6: who shares a network with whom
    static final boolean[][] BEFORE = {
            {true, true, false, false, false, false},
            {true, true, false, false, false, false},
            {false, false, true, true, false, false},
            {false, false, true, true, false, false},
            {false, false, false, false, true, true},
            {false, false, false, false, true, true}};

    static final boolean[][] AFTER = {
            {true, true, false, false, false, false},
            {true, true, true, true, false, false},   // box2 joined my_net1
            {false, true, true, true, false, false},
            {false, true, true, true, true, true},    // box4 joined my_net2
            {false, false, false, true, true, true},
            {false, false, false, true, true, true}};

    @Test
    void s1WithRealTraffic(Netlib root) {
        S1BridgeNetworks.Result r = S1BridgeNetworks.run(root, true, etc, System.out);
        check(r);
        assertThat(r.byNameReply()).isEqualTo("box3");
        assertThat(r.box2Hosts()).contains("\tbox3\n");
        assertThat(root.namespaces().list()).noneMatch(n -> n.startsWith("nlw-s1-"));
    }

    static void check(S1BridgeNetworks.Result r) {
        assertThat(r.before()).isDeepEqualTo(BEFORE);
        assertThat(r.after()).isDeepEqualTo(AFTER);
        assertThat(r.staticAddressError())
                .isEqualTo("user specified IP address is supported only when connecting to networks with user configured subnets");
        assertThat(r.box2ResolvesBox3()).map(a -> a.getHostAddress()).contains("172.18.0.2");
        assertThat(r.box1ResolvesBox2()).isEmpty();
        assertThat(r.removeInUseError()).contains("has active endpoints");
        assertThat(r.addresses().get("box1")).containsExactly("eth0 172.17.0.2 (bridge)");
        assertThat(r.addresses().get("box2")).containsExactly("eth0 172.17.0.3 (bridge)", "eth1 172.18.0.4 (my_net1)");
        assertThat(r.addresses().get("box3")).containsExactly("eth0 172.18.0.2 (my_net1)");
        assertThat(r.addresses().get("box4")).containsExactly("eth0 172.18.0.3 (my_net1)", "eth1 172.20.18.2 (my_net2)");
        assertThat(r.addresses().get("box5")).containsExactly("eth0 172.20.18.6 (my_net2)");
        assertThat(r.addresses().get("box6")).containsExactly("eth0 172.20.18.8 (my_net2)");
        assertThat(r.addressFreedOnDisconnect()).isTrue();
        assertThat(List.of(r.after())).hasSize(6);
    }
}
