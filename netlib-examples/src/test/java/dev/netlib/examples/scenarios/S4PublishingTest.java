package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario S4 on the real kernel: published TCP/UDP ports and a range, local and hairpin traffic, masquerade. */
class S4PublishingTest {
    @TempDir
    Path etc;

    @Test
    void publishedPortsAnswerFromEverywhereAndTheOutsideSeesTheHost() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        S4Publishing.Result r;
        try (Netlib root = KernelAccess.openOrSkip("S4 scenario test")) {
            r = S4Publishing.run(root, true, etc, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(root.namespaces().list()).noneMatch(n -> n.startsWith("nls-s4-"));
        }
        assertThat(etc).as("no /etc/netns leftovers").isEmptyDirectory();
        assertThat(r.box1Ip()).isEqualTo("172.17.0.2");
        assertThat(r.published()).containsExactly("8080:80", "8080:80/udp", "9000-9001:9000-9001");
        assertThat(r.ipForward()).isEqualTo("1");
        assertThat(r.outsideTcp().name()).isEqualTo("box1");
        assertThat(r.outsideTcp().saw()).as("inbound keeps the client's address").isEqualTo("10.99.0.2");
        assertThat(r.outsideUdp().name()).isEqualTo("box1");
        assertThat(r.outsideRange9000().name()).isEqualTo("box1-9000");
        assertThat(r.outsideRange9001().name()).isEqualTo("box1-9001");
        assertThat(r.fromHost().name()).isEqualTo("box1");
        assertThat(r.hairpinFromBox2().name()).isEqualTo("box1");
        assertThat(r.hairpinFromBox2().saw()).as("hairpin: masqueraded to the bridge's address").isEqualTo("172.17.0.1");
        assertThat(r.hairpinFromBox1()).as("a container reaches its own published port").isNotNull();
        assertThat(r.hairpinFromBox1().name()).isEqualTo("box1");
        assertThat(r.hairpinFromBox1().saw()).isEqualTo("172.17.0.1");
        assertThat(r.outsideSawBox1().name()).isEqualTo("outside");
        assertThat(r.outsideSawBox1().saw()).as("masquerade").isEqualTo("10.99.0.1");
        assertThat(r.afterDisconnect()).isNull();
        assertThat(r.rulesGoneAfterDisconnect()).isTrue();
        assertThat(r.passed()).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("S4 PASS");
    }
}
