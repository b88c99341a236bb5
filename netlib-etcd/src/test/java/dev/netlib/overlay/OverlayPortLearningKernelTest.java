package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tunnel port's learning flag on the real kernel: created off, turned on behind netlib's back by
 * another netlink socket (iproute2), seen by the kernel-vs-store diff and turned off again by the
 * repair, as sysfs ({@code /sys/class/net/nlv-V/brport/learning}) shows.
 */
class OverlayPortLearningKernelTest {
    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(2, Duration.ZERO, b -> b);

    @Test
    void learningTurnedOnOnTheTunnelPortIsADifferenceAndIsTurnedOffAgain() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayAgent h2 = hosts.agent(2);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        h2.connect(n, lab.container("web01"), "eth0", "web01");
        String ns = lab.hostNs(2);
        String learning = "/sys/class/net/" + n.vxlanName() + "/brport/learning";
        assertThat(OverlayLab.sh("ip", "netns", "exec", ns, "cat", learning).trim()).as("created off").isEqualTo("0");
        assertThat(h2.diff()).isEmpty();

        h2.settleForTest(); // every reconcile the advert caused done, the scheduled ones too: the diff, not a repair, must see the change first
        OverlayLab.sh("ip", "-n", ns, "link", "set", "dev", n.vxlanName(), "type", "bridge_slave", "learning", "on");
        assertThat(OverlayLab.sh("ip", "netns", "exec", ns, "cat", learning).trim()).as("turned on by the user").isEqualTo("1");
        assertThat(h2.diff()).as("read back by the diff").containsExactly(n.vxlanName() + ": bridge port learning on, want off");

        h2.refresh(n); // the repair anti-entropy runs every 30 s, now
        assertThat(OverlayLab.sh("ip", "netns", "exec", ns, "cat", learning).trim()).as("repaired").isEqualTo("0");
    }
}
