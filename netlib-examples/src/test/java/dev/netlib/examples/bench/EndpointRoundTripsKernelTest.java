package dev.netlib.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NotFoundException;
import dev.netlib.examples.scenarios.Sandbox;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkInfo;
import dev.netlib.value.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the netlink round trips of one benchmark endpoint (not its time): after the first endpoint
 * has learned the bridge's index, {@link EndpointBench#up} sends exactly two batches per endpoint,
 * one on the host socket (veth create, the host end's addrgenmode, its up: 3 messages) and one on
 * the namespace's socket (eth0 addrgenmode, eth0 up, lo up, address, route: 5 messages), as the
 * raw-netlink floor of shared/bench does; no name-to-index lookup. Teardown is one request for all
 * host ends. Counted with {@link NetlinkSocket#threadTraffic()}. Needs root; works in a throwaway
 * host namespace ({@code nlw-rt-*}) and removes every namespace it made.
 */
class EndpointRoundTripsKernelTest {
    @TempDir
    Path etc;

    @Test
    void twoRoundTripsPerEndpointAndOneForTheTeardown() {
        assumeTrue(isRoot(), "kernel test: needs root (it creates namespaces, veths, a bridge)");
        int later = 3;
        try (Netlib root = Netlib.open(); Sandbox sandbox = new Sandbox(root, "rt", etc)) {
            Netlib host = root.in(sandbox.namespace("host"));
            host.bridge("br0").up().create();
            host.addresses().add("br0", "10.77.0.1/16");
            IpPrefix subnet = IpPrefix.parse("10.77.0.0/16");
            String first = sandbox.name("a");
            String rest = sandbox.name("b");
            try {
                EndpointBench.up(host, 1, "br0", "10.77.0.1", subnet, first, "ha", new long[1]);
                NetlinkSocket.Traffic before = NetlinkSocket.threadTraffic();
                EndpointBench.up(host, later, "br0", "10.77.0.1", subnet,
                        rest, "hb", new long[later]);
                NetlinkSocket.Traffic setup = NetlinkSocket.threadTraffic().since(before);
                assertThat(setup.sends()).as("sendto per endpoint (round trips)").isEqualTo(2L * later);
                assertThat(setup.messages()).as("messages per endpoint: 3 on the host, 5 in the namespace").isEqualTo(8L * later);

                try (Namespace last = root.namespaces().open(rest + (later - 1))) {
                    Netlib inside = root.in(last);
                    LinkInfo eth0 = inside.link("eth0").info();
                    assertThat(eth0.adminUp()).isTrue();
                    assertThat(eth0.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
                    assertThat(inside.addresses().list()).anyMatch(a -> a.device().equals("eth0") && a.address().isIpv4());
                }
                assertThat(host.link("hb" + (later - 1)).info().masterName()).isEqualTo("br0");

                NetlinkSocket.Traffic beforeDown = NetlinkSocket.threadTraffic();
                EndpointBench.down(host, later, rest);
                NetlinkSocket.Traffic down = NetlinkSocket.threadTraffic().since(beforeDown);
                assertThat(down.sends()).as("teardown: one RTM_DELLINK for the device group").isEqualTo(1);
                assertThat(root.namespaces().list()).noneMatch(n -> n.startsWith(rest));
            } finally {
                for (String prefix : new String[] {first, rest}) {
                    for (int i = 0; i < later; i++) {
                        try {
                            root.namespaces().delete(prefix + i);
                        } catch (NotFoundException e) {
                            // gone already (or never made)
                        }
                    }
                }
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (Exception e) {
            return false;
        }
    }
}
