package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.value.IpAddresses;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entries on the tunnel device that netlib did not write, on the real kernel, written by "the user"
 * from another netlink socket (iproute2) before any advert claimed them: the neighbour and the VXLAN
 * remote of an address and MAC the store then gives to a remote endpoint are rewritten (a wrong MAC;
 * a wrong VTEP on another VNI) and go with that endpoint; the user's entries for an address and MAC
 * no advert claims survive both, and are no difference. The same rules on FakeKernel:
 * OverlayForeignEntriesTest.
 */
class OverlayForeignEntriesKernelTest {
    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(3, Duration.ZERO, b -> b);

    @Test
    void claimedEntriesAreRepairedWhoeverWroteThemAndTheUsersOwnAreLeftAlone() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayAgent h2 = hosts.agent(2);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        h2.connect(n, lab.container("web01"), "eth0", "web01");
        String ns = lab.hostNs(2);
        String dev = n.vxlanName();
        // web02 will get 10.0.0.3 and 02:42:0a:00:00:03 (the next address; the MAC follows from it)
        OverlayLab.sh("ip", "-n", ns, "neigh", "replace", "10.0.0.3", "lladdr", "02:00:00:00:00:99", "dev", dev, "nud", "permanent");
        OverlayLab.sh("bridge", "-n", ns, "fdb", "add", "02:42:0a:00:00:03", "dev", dev, "dst", "10.99.0.9", "vni", "200", "self", "permanent");
        OverlayLab.sh("ip", "-n", ns, "neigh", "replace", "10.0.0.77", "lladdr", "02:00:00:00:00:77", "dev", dev, "nud", "permanent");
        OverlayLab.sh("bridge", "-n", ns, "fdb", "add", "02:00:00:00:00:77", "dev", dev, "dst", "10.99.0.77", "vni", "200", "self", "permanent");
        String userNeigh = "10.0.0.77 lladdr 02:00:00:00:00:77 PERMANENT";
        String userFdb = "02:00:00:00:00:77 dst 10.99.0.77 vni 200 self permanent";
        assertThat(neighbours(ns, dev)).contains(userNeigh, "10.0.0.3 lladdr 02:00:00:00:00:99 PERMANENT");
        assertThat(fdb(ns, dev)).contains(userFdb, "02:42:0a:00:00:03 dst 10.99.0.9 vni 200 self permanent");
        assertThat(h2.diff()).as("nothing claims them yet: the user's, no difference").isEmpty();

        OverlayEndpoint w2 = hosts.agent(3).connect(n, lab.container("web02"), "eth0", "web02");
        assertThat(IpAddresses.format(w2.ip())).isEqualTo("10.0.0.3");
        OverlayKernelTest.awaitMillis("web02's entries on host 2, the wrong ones replaced", () -> neighbours(ns, dev)
                .contains("10.0.0.3 lladdr 02:42:0a:00:00:03 PERMANENT") && fdb(ns, dev).contains("02:42:0a:00:00:03 dst 10.99.0.3 self permanent")
                && !fdb(ns, dev).contains("10.99.0.9"), 5000);
        h2.sync();
        assertThat(neighbours(ns, dev)).contains(userNeigh);
        assertThat(fdb(ns, dev)).contains(userFdb);

        hosts.agent(3).disconnect(w2);
        OverlayKernelTest.awaitMillis("web02's entries withdrawn from host 2 (rewritten, so netlib's)",
                () -> !neighbours(ns, dev).contains("10.0.0.3") && !fdb(ns, dev).contains("02:42:0a:00:00:03"), 5000);
        h2.sync();
        assertThat(neighbours(ns, dev)).as("the user's neighbour outlives the peer's").contains(userNeigh);
        assertThat(fdb(ns, dev)).as("and so does the user's remote").contains(userFdb);
    }

    /** Host {@code ns}'s neighbours on {@code dev}, as iproute2 prints them. */
    private static String neighbours(String ns, String dev) {
        try {
            return OverlayLab.sh("ip", "-n", ns, "neigh", "show", "dev", dev).replace(" \n", "\n");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The VXLAN device's own table on host {@code ns}, as iproute2 prints it. */
    private static String fdb(String ns, String dev) {
        try {
            return OverlayLab.sh("bridge", "-n", ns, "fdb", "show", "dev", dev);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
