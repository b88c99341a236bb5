package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.network.EndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario S6 on the real kernel: links with their veth peers, a namespace from a pid, bridge ports, inspect. */
class S6InspectTest {
    @TempDir
    Path etc;

    @Test
    void inspectShowsLinksPeersPortsAndTheNetwork() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        S6Inspect.Result r;
        try (Netlib root = KernelAccess.openOrSkip("S6 scenario test")) {
            r = S6Inspect.run(root, true, etc, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(root.namespaces().list()).noneMatch(n -> n.startsWith("nls-s6-"));
        }
        assertThat(etc).as("no /etc/netns leftovers").isEmptyDirectory();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("S6 PASS");
        assertThat(r.namespaceOfPid()).startsWith("nls-s6-").endsWith("-box2");
        assertThat(r.box2Eth0()).matches("eth0@if\\d+");
        assertThat(r.peersMatchBothWays()).isTrue();
        assertThat(r.links()).filteredOn(l -> l.namespace().equals("host") && "veth".equals(l.kind())).hasSize(3)
                .allSatisfy(l -> {
                    assertThat(l.peerIndex()).isPositive();
                    assertThat(l.peerNetnsId()).isNotNegative();
                    assertThat(l.master()).isIn("docker0", "br-my_net");
                    assertThat(l.state()).isEqualTo("UP/UP");
                    assertThat(l.mtu()).isEqualTo(1500);
                });
        assertThat(r.bridgePorts()).containsOnlyKeys("docker0", "br-my_net");
        assertThat(r.bridgePorts().get("br-my_net")).hasSize(2).contains(r.box2HostVeth());
        assertThat(r.inspection().config().subnet().toString()).isEqualTo("172.25.0.0/24");
        assertThat(r.inspection().endpoints()).extracting(EndpointConfig::container).containsExactlyInAnyOrder("box2", "box3");
        assertThat(r.inspection().endpoints()).extracting(e -> e.address().toString())
                .containsExactlyInAnyOrder("172.25.0.2/24", "172.25.0.3/24");
        assertThat(r.inspectMatchesKernel()).isTrue();
        assertThat(r.reached()).containsEntry("box2", "box2").containsEntry("box3", "box3");
        assertThat(Path.of("/proc/" + r.pid())).as("the resident thread ended").doesNotExist();
    }
}
