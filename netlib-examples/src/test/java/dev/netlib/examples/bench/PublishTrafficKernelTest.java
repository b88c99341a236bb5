package dev.netlib.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.examples.scenarios.Sandbox;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.spi.nft.DnatRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what an unpublish, a disconnect and a publish read of netlib's nftables table (not their
 * time): the same requests and about the same bytes beside a thousand published ports as beside
 * none. Each reads the places of its own rules ({@code Nat.holding}: one NFT_MSG_GETSETELEM per
 * element; a publish reads the places a conflicting port would hold, on every address and on each
 * of the host's), and
 * leaves the empty table's check to the kernel (NLM_F_NONREC on the sets' deletion), where a read
 * of the whole table cost about 200 bytes per published port (its map element and, then, its hairpin
 * element, read twice as the dump comes in several parts): 212,972 bytes for an unpublish beside 1,001 ports
 * against 4,660 beside one, measured with the old read. Counted with
 * {@link NetlinkSocket#threadTraffic()}. Needs root; works in throwaway namespaces ({@code nlw-pt-*}).
 */
class PublishTrafficKernelTest {
    @TempDir
    Path tmp;

    @Test
    void unpublishDisconnectAndPublishReadTheSameBesideAThousandPorts() {
        assumeTrue(isRoot(), "kernel test: needs root (it creates namespaces, a bridge, nftables rules)");
        try (Netlib root = Netlib.open(); Sandbox sandbox = new Sandbox(root, "pt", tmp.resolve("etc"))) {
            PublishBench.Scene scene = PublishBench.Scene.open(root, sandbox, "n", "10.96.0.0/16");
            Networks networks = scene.networks();
            Namespace measured = scene.measured();
            Namespace other = scene.other();
            Endpoint keeper = networks.endpoint("n", other).name("keeper").publish("7000:70").connect();
            NetlinkSocket.Traffic[] few = round(networks, measured);
            Endpoint many = keeper.publish("30000-30999:10000-10999"); // a thousand map elements
            NetlinkSocket.Traffic[] lots = round(networks, measured);
            // the plan's read of its places (Firewall.remove tries all its rules at once: a removal that
            // throws changed nothing), the batch, the emptied table's check (nothing read first)
            assertThat(few[0].sends()).as("unpublish: requests").isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                String what = new String[] {"unpublish", "disconnect with a published port", "publish"}[i];
                assertThat(lots[i].sends()).as(what + ": requests beside 1,001 ports and beside 1").isEqualTo(few[i].sends());
                assertThat(lots[i].messages()).as(what + ": messages").isEqualTo(few[i].messages());
                // answers differ only in a few numbers (the generation, handles); a read of the
                // whole table brings ~200 KB more
                assertThat(lots[i].receivedBytes()).as(what + ": bytes received beside 1,001 ports, and beside 1: " + few[i].receivedBytes())
                        .isLessThan(few[i].receivedBytes() + 1024);
            }
            many.disconnect();
            assertThat(scene.host().nat().list()).as("every published port gone with its endpoint").noneMatch(r -> r.spec() instanceof DnatRule);
        }
    }

    /** The traffic of an unpublish, of a disconnect of an endpoint that publishes one port, and of a publish. */
    private static NetlinkSocket.Traffic[] round(Networks networks, Namespace box) {
        Endpoint e = networks.endpoint("n", box).name("measured").connect();
        NetlinkSocket.Traffic tp = NetlinkSocket.threadTraffic();
        e = e.publish("8080:80");
        NetlinkSocket.Traffic publish = NetlinkSocket.threadTraffic().since(tp);
        NetlinkSocket.Traffic t0 = NetlinkSocket.threadTraffic();
        e = e.unpublish("8080:80");
        NetlinkSocket.Traffic unpublish = NetlinkSocket.threadTraffic().since(t0);
        e = e.publish("8080:80");
        NetlinkSocket.Traffic t1 = NetlinkSocket.threadTraffic();
        e.disconnect();
        NetlinkSocket.Traffic disconnect = NetlinkSocket.threadTraffic().since(t1);
        return new NetlinkSocket.Traffic[] {unpublish, disconnect, publish};
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (Exception e) {
            return false;
        }
    }
}
