package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Link;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.VethPair;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario S3 of SCENARIOS.md ("the manual way", seed 001) end to end on the real kernel, through
 * the public API only. A "host" namespace holds bridge lxcbr0 (192.168.10.1/24, up); container
 * namespaces get a veth whose other end is on the bridge, an address, lo up and a default route
 * via 192.168.10.1; a Java TCP connection between two containers goes through the bridge. Then a
 * second interface eth1 is added to a container found only by the pid of a process living in it.
 * State is read back through netlib and cross-checked with {@code ip -j}.
 */
class ScenarioS3KernelTest {
    private final TestNamespaces namespaces = new TestNamespaces();

    @AfterEach
    void noNamespaceLeft() {
        assertThat(namespaces.cleanUp()).as("test namespaces left after the handles were closed").isEmpty();
    }

    @Test
    void manualWayBridgeVethAddressRouteAndTcpBetweenContainers() throws Exception {
        try (Netlib netlib = E2e.openOrSkip();
                Namespace hostNs = namespaces.create(netlib, "s3host");
                Namespace ns1 = namespaces.create(netlib, "s3c1");
                Namespace ns2 = namespaces.create(netlib, "s3c2")) {
            long callerInode = ThrowawayNetns.threadInode();
            Netlib host = netlib.in(hostNs);
            host.link("lo").up();

            // brctl addbr lxcbr0; ip addr add 192.168.10.1/24 dev lxcbr0; ip link set lxcbr0 up
            Link bridge = host.bridge("lxcbr0").up().create();
            bridge.addAddress("192.168.10.1/24");

            // ns1 the literal manual way: veth pair veth-ns1/lxcbr0.1, move veth-ns1 into ns1 as eth0
            VethPair pair1 = host.veth("veth-ns1").peer("lxcbr0.1").create();
            pair1.peer().master("lxcbr0").up();
            Link eth0 = pair1.local().moveTo(ns1, "eth0");
            eth0.addAddress("192.168.10.11/24").up();
            Netlib c1 = netlib.in(ns1);
            c1.link("lo").up();
            c1.routes().addDefault("192.168.10.1");

            // ns2 the fast way: the peer is born inside ns2 as eth0, up, in the same request
            host.veth("lxcbr0.2").master("lxcbr0").up().peer("eth0", p -> p.namespace(ns2).up()).create();
            netlib.in(ns2).batch().linkUp("lo").addAddress("eth0", "192.168.10.12/24").addDefaultRoute("192.168.10.1").apply();

            assertThat(ThrowawayNetns.threadInode()).as("the test thread never changed namespace").isEqualTo(callerInode);

            // read back through netlib
            LinkInfo br = host.findLink("lxcbr0").orElseThrow();
            assertThat(br.kind()).isEqualTo("bridge");
            assertThat(br.adminUp()).isTrue();
            assertThat(host.link("lxcbr0").addresses()).contains(IpPrefix.parse("192.168.10.1/24"));
            for (String port : List.of("lxcbr0.1", "lxcbr0.2")) {
                LinkInfo p = host.findLink(port).orElseThrow();
                assertThat(p.isVeth()).as(port + " is a veth").isTrue();
                assertThat(p.masterName()).as(port + "'s master").isEqualTo("lxcbr0");
                assertThat(p.masterIndex()).isEqualTo(br.index());
                assertThat(p.adminUp()).isTrue();
                assertThat(p.linkNetnsId()).as(port + "'s peer lives in another namespace").isGreaterThanOrEqualTo(0);
            }
            assertThat(host.findLink("veth-ns1")).as("veth-ns1 left the host").isEmpty();
            checkContainer(netlib.in(ns1), "192.168.10.11/24", host.findLink("lxcbr0.1").orElseThrow());
            checkContainer(netlib.in(ns2), "192.168.10.12/24", host.findLink("lxcbr0.2").orElseThrow());

            // cross-check with iproute2
            if (ThrowawayNetns.hasIp()) {
                String hostName = hostNs.name().orElseThrow();
                assertThat(E2e.ip("-n", hostName, "-j", "addr", "show", "dev", "lxcbr0"))
                        .contains("\"local\":\"192.168.10.1\",\"prefixlen\":24");
                assertThat(E2e.ip("-n", hostName, "-j", "link", "show", "lxcbr0.1")).contains("\"master\":\"lxcbr0\"");
                assertThat(E2e.ip("-n", hostName, "-j", "link", "show", "lxcbr0.2")).contains("\"master\":\"lxcbr0\"");
                for (var c : List.of(List.of(ns1.name().orElseThrow(), "192.168.10.11"), List.of(ns2.name().orElseThrow(), "192.168.10.12"))) {
                    String addr = E2e.ip("-n", c.get(0), "-j", "addr", "show", "dev", "eth0");
                    assertThat(addr).contains("\"local\":\"" + c.get(1) + "\",\"prefixlen\":24").contains("\"operstate\":\"UP\"");
                    assertThat(E2e.ip("-n", c.get(0), "-j", "addr", "show", "dev", "lo")).contains("\"local\":\"127.0.0.1\"");
                    assertThat(E2e.ip("-n", c.get(0), "-j", "route", "show", "default"))
                            .contains("\"dst\":\"default\",\"gateway\":\"192.168.10.1\",\"dev\":\"eth0\"");
                }
            }

            // real traffic: ns1 -> ns2 through the bridge, and back the other way
            TcpExchange.exchangeAndCheck(ns2, "192.168.10.12", ns1, "192.168.10.11", 64 * 1024);
            TcpExchange.exchangeAndCheck(ns1, "192.168.10.11", ns2, "192.168.10.12", 1000);
            // and through the default route to the gateway address on the bridge, in the host namespace
            TcpExchange.exchangeAndCheck(hostNs, "192.168.10.1", ns1, "192.168.10.11", 4096);
            assertThat(ThrowawayNetns.threadInode()).isEqualTo(callerInode);
        }
    }

    /** eth0 is a veth, up, with its address, peer on the bridge; lo up; default route via the gateway on eth0. */
    private static void checkContainer(Netlib c, String address, LinkInfo hostEnd) {
        LinkInfo eth0 = c.findLink("eth0").orElseThrow();
        assertThat(eth0.isVeth()).isTrue();
        assertThat(eth0.adminUp()).isTrue();
        assertThat(eth0.linkIndex()).as("eth0's peer is the bridge port").isEqualTo(hostEnd.index());
        assertThat(hostEnd.linkIndex()).as("the bridge port's peer is eth0").isEqualTo(eth0.index());
        assertThat(c.findLink("lo").orElseThrow().adminUp()).isTrue();
        assertThat(E2e.ipv4(c.addresses().list("eth0"))).containsExactly(IpPrefix.parse(address));
        List<RouteInfo> defaults = c.routes().defaults();
        assertThat(defaults).hasSize(1);
        assertThat(defaults.get(0).gateway()).isEqualTo(IpAddresses.parse("192.168.10.1"));
        assertThat(defaults.get(0).device()).isEqualTo("eth0");
    }

    @Test
    void secondInterfaceIntoNamespaceFoundByPid() throws Exception {
        Netlib netlib = E2e.openOrSkip();
        E2e.skipUnlessIp(); // the process living in the namespace is started with ip netns exec
        Process sleeper = null;
        try (netlib;
                Namespace hostNs = namespaces.create(netlib, "s3pidhost");
                Namespace ns1 = namespaces.create(netlib, "s3pid")) {
            Netlib host = netlib.in(hostNs);
            host.link("lo").up();
            host.bridge("lxcbr0").up().create().addAddress("192.168.10.1/24");
            host.veth("lxcbr0.1").master("lxcbr0").up().peer("eth0", p -> p.namespace(ns1).up()).create();
            netlib.in(ns1).batch().linkUp("lo").addAddress("eth0", "192.168.10.11/24").addDefaultRoute("192.168.10.1").apply();

            // a process living in ns1, as a container's would; ip netns exec setns()es, then execs sleep
            sleeper = new ProcessBuilder("ip", "netns", "exec", ns1.name().orElseThrow(), "sleep", "60")
                    .redirectErrorStream(true).start();
            long pid = sleeper.pid();
            awaitNamespaceOf(pid, ns1.inode());

            // found by the pid alone
            try (Namespace byPid = netlib.namespaces().ofPid(pid)) {
                assertThat(byPid.inode()).as("the namespace of pid " + pid).isEqualTo(ns1.inode());
                assertThat(byPid.isOwned()).as("a namespace opened by pid is borrowed").isFalse();
                host.veth("lxcbr0.9").master("lxcbr0").up().peer("eth1", p -> p.namespace(byPid).up()).create();
                Netlib inPid = netlib.in(byPid);
                inPid.addresses().add("eth1", "192.168.10.21/24");

                assertThat(inPid.findLink("eth1")).isPresent();
                assertThat(inPid.link("eth1").addresses()).filteredOn(a -> !a.isIpv6()).containsExactly(IpPrefix.parse("192.168.10.21/24"));
            }
            // closing the borrowed handle kept the namespace: seen by name, and by the process
            Netlib c1 = netlib.in(ns1);
            assertThat(c1.findLink("eth1").orElseThrow().adminUp()).isTrue();
            assertThat(E2e.ipv4(c1.addresses().list("eth1"))).containsExactly(IpPrefix.parse("192.168.10.21/24"));
            String viaProcess = E2e.run("nsenter", "-t", Long.toString(pid), "-n", "ip", "-j", "addr", "show", "dev", "eth1");
            assertThat(viaProcess).contains("\"local\":\"192.168.10.21\",\"prefixlen\":24");
            assertThat(E2e.ip("-n", ns1.name().orElseThrow(), "-j", "addr", "show", "dev", "eth1"))
                    .contains("\"local\":\"192.168.10.21\",\"prefixlen\":24");

            // eth1 carries traffic: the host namespace (the bridge's address) reaches 192.168.10.21.
            // eth0 and eth1 share 192.168.10.0/24, so the reverse path of a packet arriving on eth1
            // is eth0: strict reverse-path filtering (which a new netns may inherit) would drop it.
            c1.sysctls().set("net.ipv4.conf.all.rp_filter", "0");
            c1.sysctls().set("net.ipv4.conf.eth1.rp_filter", "0");
            assertThat(c1.sysctls().get("net.ipv4.conf.eth1.rp_filter")).isEqualTo("0");
            TcpExchange.Outcome o = TcpExchange.exchange(ns1, "192.168.10.21", hostNs, 2048);
            assertThat(o.serverSawPeer()).isEqualTo("192.168.10.1");
            assertThat(o.serverThreadInode()).isEqualTo(ns1.inode());
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
                sleeper.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until {@code /proc/PID/ns/net} is the expected namespace (ip netns exec setns()es after the fork). */
    private static void awaitNamespaceOf(long pid, long inode) throws Exception {
        Path link = Path.of("/proc", Long.toString(pid), "ns", "net");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = "?";
        while (System.nanoTime() < deadline) {
            try {
                last = Files.readSymbolicLink(link).toString();
                if (last.equals("net:[" + inode + "]")) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("pid " + pid + " did not enter netns " + inode + " within 10 s; its ns/net is " + last);
    }
}
