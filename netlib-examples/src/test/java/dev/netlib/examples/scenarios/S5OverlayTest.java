package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Scenario S5 on the real kernel with a real etcd: three hosts, names and traffic across VXLAN, the way out, a host leaving. */
class S5OverlayTest {
    @Test
    void webContainersOnTwoHostsTalkByAddressAndNameAndHost3LeavesCleanly() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcd")), "S5 needs /usr/bin/etcd: install Debian's etcd-server");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        S5Overlay.Result r;
        String prefix;
        try (Netlib root = KernelAccess.openOrSkip("S5 scenario test");
             ScratchNamespaces scratch = new ScratchNamespaces(root, "s5", Path.of("/etc/netns"))) {
            prefix = scratch.name("");
            r = S5Overlay.run(root, scratch, Path.of("/etc/netns"), new PrintStream(printed, true, StandardCharsets.UTF_8));
            scratch.close();
            assertThat(root.namespaces().list()).noneMatch(n -> n.startsWith(prefix));
        }
        try (var dirs = Files.list(Path.of("/etc/netns"))) {
            assertThat(dirs.map(d -> d.getFileName().toString())).as("no /etc/netns leftovers").noneMatch(d -> d.startsWith(prefix));
        }
        assertThat(r.web01()).isEqualTo("10.0.0.2");
        assertThat(r.web02()).isEqualTo("10.0.0.3");
        assertThat(r.byAddress()).isEqualTo("web02");
        assertThat(r.byName()).isEqualTo("web02");
        assertThat(r.resolved()).startsWith("10.0.0.3");
        assertThat(r.outside()).isEqualTo("outside");
        assertThat(r.outsideSaw()).as("masquerade behind host 2").isEqualTo("10.99.0.2");
        // a revoked lease withdraws at once (the figure is printed); an expiring one would take the
        // 10 s TTL: the bound tells the two apart and leaves room for a loaded machine
        assertThat(r.leaveMs()).as("withdrawn by the revoke, not by the TTL").isLessThan(5000);
        assertThat(r.resolvedAfter()).as("web02's name gone with host 3").isEmpty();
    }
}
