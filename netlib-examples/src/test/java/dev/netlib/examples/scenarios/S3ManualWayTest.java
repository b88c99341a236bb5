package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario S3 on the real kernel: the manual way, proven by TCP, and nothing left behind. */
class S3ManualWayTest {
    @TempDir
    Path etc;

    @Test
    void manualWayBuildsAWorkingContainerAndAddsEth1ByPid() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        S3ManualWay.Result r;
        try (Netlib root = KernelAccess.openOrSkip("S3 scenario test")) {
            r = S3ManualWay.run(root, true, etc, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(root.namespaces().list()).noneMatch(n -> n.equals(r.ns1Name()));
        }
        assertThat(etc).as("no /etc/netns leftovers").isEmptyDirectory();
        assertThat(r.ns1Links()).contains("lo").anyMatch(l -> l.startsWith("eth0@if"));
        assertThat(r.eth0Address()).isEqualTo("192.168.10.11/24");
        assertThat(r.eth0Up()).isTrue();
        assertThat(r.vethMaster()).isEqualTo("lxcbr0");
        assertThat(r.defaultGateway()).isEqualTo("192.168.10.1");
        assertThat(r.resolvConf()).isEqualTo("nameserver 8.8.8.8\n");
        assertThat(r.resolvConfPath()).isEqualTo(etc.resolve(r.ns1Name()).resolve("resolv.conf"));
        assertThat(r.pidFoundSameNamespace()).isTrue();
        assertThat(r.eth1Address()).isEqualTo("192.168.10.12/24");
        assertThat(r.ns1ToGateway()).isEqualTo("host");
        assertThat(r.ns1ToApp()).isEqualTo("app");
        assertThat(r.appToNs1()).isEqualTo("ns1");
        assertThat(r.passed()).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("S3 PASS");
        assertThat(Files.exists(etc.resolve(r.ns1Name()))).as("resolv.conf directory removed").isFalse();
        assertThat(Path.of("/proc/" + r.appPid())).as("the app thread ended").doesNotExist();
    }
}
