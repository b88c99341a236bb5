package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge's static entries on the tunnel port on the real kernel ({@code bridge fdb ... dev nlv-V
 * master static}): the one netlib writes for a remote endpoint goes when that endpoint leaves, while
 * a static entry "the user" added from another netlink socket (iproute2) survives every sync and is
 * no difference in the kernel-vs-store diff. The same after a restart: OverlayRestartKernelTest.
 */
class OverlayBridgeEntriesKernelTest {
    private static final String USER_MAC = "02:00:00:00:00:97";

    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(3, Duration.ZERO, b -> b);

    /** Host 2's bridge table on the tunnel port, as iproute2 prints it. */
    private static String bridgeTable(OverlayLab lab, OverlayNetwork n) {
        try {
            return OverlayLab.sh("bridge", "-n", lab.hostNs(2), "fdb", "show", "dev", n.vxlanName());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aForeignStaticEntryOnTheTunnelPortSurvivesASyncAndNetlibsOwnGoesWithItsEndpoint() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayAgent h2 = hosts.agent(2);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        h2.connect(n, lab.container("web01"), "eth0", "web01");
        OverlayEndpoint w2 = hosts.agent(3).connect(n, lab.container("web02"), "eth0", "web02");
        String ours = w2.mac() + " master " + n.bridgeName() + " static";
        OverlayKernelTest.awaitMillis("web02's bridge entry on host 2", () -> bridgeTable(lab, n).contains(ours), 5000);

        OverlayLab.sh("bridge", "-n", lab.hostNs(2), "fdb", "add", USER_MAC, "dev", n.vxlanName(), "master", "static");
        String theirs = USER_MAC + " master " + n.bridgeName() + " static";
        assertThat(h2.diff()).as("someone else's entry is no difference").isEmpty();
        h2.sync();
        assertThat(bridgeTable(lab, n)).as("left alone by a sync").contains(theirs).contains(ours);

        hosts.agent(3).disconnect(w2);
        OverlayKernelTest.awaitMillis("web02's bridge entry withdrawn", () -> !bridgeTable(lab, n).contains(w2.mac().toString()), 5000);
        h2.sync();
        assertThat(bridgeTable(lab, n)).as("the user's entry outlives the peers'").contains(theirs);
    }
}
