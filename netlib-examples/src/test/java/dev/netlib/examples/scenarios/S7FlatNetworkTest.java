package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario S7 on the real kernel: macvlan containers on a LAN, addresses from a shared pool, through the LAN's router. */
class S7FlatNetworkTest {
    @TempDir
    Path etc;

    @Test
    void containersSitOnTheLanWithPoolAddressesAndNoNat() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        S7FlatNetwork.Result r;
        try (Netlib root = KernelAccess.openOrSkip("S7 scenario test")) {
            r = S7FlatNetwork.run(root, true, etc, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(root.namespaces().list()).noneMatch(n -> n.startsWith("nls-s7-"));
        }
        assertThat(etc).as("no /etc/netns leftovers").isEmptyDirectory();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("S7 PASS");
        assertThat(r.addresses()).containsOnlyKeys("c1", "c2", "c3");
        assertThat(r.addresses().values()).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(Integer.parseInt(a.substring(a.lastIndexOf('.') + 1))).isBetween(128, 253))
                .allSatisfy(a -> assertThat(a).startsWith("192.168.77."));
        assertThat(r.kinds().values()).containsOnly("macvlan");
        assertThat(r.defaultGateway()).isEqualTo("192.168.77.254");
        assertThat(r.racingHostsNoConflict()).isTrue();
        assertThat(r.reached()).containsOnlyKeys("c1->c2", "c1->c3", "c1->router", "c3->router");
        assertThat(r.reached().get("c1->c2").name()).isEqualTo("c2");
        assertThat(r.reached().get("c1->c3").name()).isEqualTo("c3");
        assertThat(r.reached().get("c1->router").saw()).as("no NAT").isEqualTo(r.addresses().get("c1"));
        assertThat(r.reached().get("c3->router").saw()).as("no NAT").isEqualTo(r.addresses().get("c3"));
        assertThat(r.passed()).isTrue();
    }
}
