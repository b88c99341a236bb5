package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent restarted on the same host and boot, on the real kernel: it finds the record of the entries
 * its earlier run wrote (OverlayAgent.Builder.recordDir, here the lab's temp directory), removes the
 * neighbour, FDB and bridge entries of peers that left the store while it was down, and leaves alone
 * what "the user" wrote meanwhile from other netlink sockets (iproute2): a neighbour rewritten with
 * another MAC, an FDB entry of their own and a static entry of their own in the bridge's table on the
 * tunnel port. Once with the earlier run stopped, once with its JVM killed.
 */
class OverlayRestartKernelTest {
    private static final String USER_MAC = "02:00:00:00:00:99";
    private static final String USER_FDB_MAC = "02:00:00:00:00:98";
    private static final String USER_BRIDGE_MAC = "02:00:00:00:00:97";

    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(0, Duration.ofSeconds(5), b -> b.leaseTtl(Duration.ofSeconds(2)));

    @Test
    void anAgentStoppedWhilePeersLeftRemovesTheirEntriesAfterRestart() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayAgent h1 = hosts.start(1);
        OverlayAgent h3 = hosts.start(3);
        OverlayNetwork n = hosts.start(2).createNetwork("my_olay", "10.0.0.0/24");
        OverlayEndpoint w1 = hosts.agent(2).connect(n, lab.container("web01"), "eth0", "web01");
        OverlayEndpoint w2 = h3.connect(n, lab.container("web02"), "eth0", "web02");
        OverlayEndpoint w3 = h1.connect(n, lab.container("web03"), "eth0", "web03");
        awaitRecorded(lab, n, w2, w3);
        hosts.stop(2);
        peersLeaveAndTheUserWrites(lab, n, w2, w3);
        OverlayAgent again = hosts.start(2);
        again.prepare(n);
        again.advertise(w1); // the restarted host announces the container that outlived its process
        assertOnlyTheDeadPeersEntriesWent(lab, n, again, w2, w3);
    }

    @Test
    void anAgentKilledWhilePeersLeftRemovesTheirEntriesAfterRestart() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayAgent h1 = hosts.start(1);
        OverlayAgent h3 = hosts.start(3);
        OverlayNetwork n = h1.createNetwork("my_olay", "10.0.0.0/24");
        OverlayEndpoint w2 = h3.connect(n, lab.container("web02"), "eth0", "web02");
        OverlayEndpoint w3 = h1.connect(n, lab.container("web03"), "eth0", "web03");
        Namespace web01 = lab.container("web01");
        String[] ready = new String[1];
        Process h2 = lab.hostJvm(2, "my_olay", web01, "web01", "serve", ready);
        awaitRecorded(lab, n, w2, w3);
        h2.destroyForcibly(); // SIGKILL
        assertThat(h2.waitFor(10, TimeUnit.SECONDS)).isTrue();
        peersLeaveAndTheUserWrites(lab, n, w2, w3);
        InetAddress ip = IpAddresses.parse(ready[0].split(" ")[1]);
        OverlayEndpoint w1 = new OverlayEndpoint(n, ready[0].split(" ")[2], ip, OverlayAgent.macFor(ip), "web01", web01.name().orElseThrow());
        OverlayKernelTest.awaitMillis("the killed run's advert expired", () -> h1.endpoints(n).stream().noneMatch(a -> a.ip().equals(ip)), 5000);
        OverlayAgent again = hosts.start(2);
        again.prepare(n);
        again.advertise(w1);
        assertOnlyTheDeadPeersEntriesWent(lab, n, again, w2, w3);
    }

    /** Waits until host 2's record on file names both peers' neighbours and bridge entries: only then are they provably its own. */
    private static void awaitRecorded(OverlayLab lab, OverlayNetwork n, OverlayEndpoint... peers) throws InterruptedException {
        Path file = lab.recordDir.resolve("h2").resolve(n.vxlanName());
        OverlayKernelTest.awaitMillis("host 2's record names every peer", () -> {
            try {
                String text = Files.exists(file) ? Files.readString(file) : "";
                for (OverlayEndpoint p : peers) {
                    if (!text.contains("neigh " + IpAddresses.format(p.ip()) + " ") || !text.contains("bridge " + p.mac() + "\n")) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, 5000);
    }

    /**
     * Both peers leave the store while host 2 has no agent (web02 of host 3, web03 of host 1); "the user"
     * changes host 2's tables meanwhile.
     */
    private void peersLeaveAndTheUserWrites(OverlayLab lab, OverlayNetwork n, OverlayEndpoint w2, OverlayEndpoint w3) throws Exception {
        String ns = lab.hostNs(2);
        String dev = n.vxlanName();
        assertThat(OverlayKernelTest.hasNeighbour(lab.host(2), dev, w2.ip())).as("web02's entry is there before").isTrue();
        hosts.agent(3).disconnect(w2);
        hosts.agent(1).disconnect(w3);
        OverlayLab.sh("ip", "-n", ns, "neigh", "replace", IpAddresses.format(w3.ip()), "lladdr", USER_MAC, "dev", dev, "nud", "permanent");
        OverlayLab.sh("bridge", "-n", ns, "fdb", "add", USER_FDB_MAC, "dev", dev, "dst", "10.99.0.9", "self", "permanent");
        OverlayLab.sh("bridge", "-n", ns, "fdb", "add", USER_BRIDGE_MAC, "dev", dev, "master", "static");
    }

    private static void assertOnlyTheDeadPeersEntriesWent(OverlayLab lab, OverlayNetwork n, OverlayAgent again, OverlayEndpoint w2,
            OverlayEndpoint w3) throws Exception {
        again.sync();
        String ns = lab.hostNs(2);
        String dev = n.vxlanName();
        String neigh = OverlayLab.sh("ip", "-n", ns, "neigh", "show", "dev", dev);
        assertThat(neigh).as("web02's neighbour (netlib's, per the record) removed").doesNotContain(IpAddresses.format(w2.ip()) + " ");
        assertThat(neigh).as("web03's neighbour, rewritten by the user, left alone")
                .contains(IpAddresses.format(w3.ip()) + " lladdr " + USER_MAC + " PERMANENT");
        String fdb = OverlayLab.sh("bridge", "-n", ns, "fdb", "show", "dev", dev);
        assertThat(fdb).as("the dead peers' FDB and bridge entries removed").doesNotContain(w2.mac().toString()).doesNotContain(w3.mac().toString());
        assertThat(fdb).as("the user's FDB entry left alone").contains(USER_FDB_MAC + " dst 10.99.0.9 self permanent");
        assertThat(fdb).as("the user's bridge entry left alone").contains(USER_BRIDGE_MAC + " master " + n.bridgeName() + " static");
    }
}
