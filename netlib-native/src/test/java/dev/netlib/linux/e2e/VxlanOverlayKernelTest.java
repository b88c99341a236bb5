package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The overlay of scenario S5 reduced to its kernel objects: two "host" namespaces joined by an
 * underlay veth pair (10.0.0.1/24, 10.0.0.2/24); on each host a bridge with a VXLAN device (VNI 42,
 * local VTEP address, UDP port 4789, learning off, the underlay as its device) enslaved to it, and a
 * container namespace on the bridge. Nothing floods by itself: only after static FDB entries (the
 * remote container's MAC to the remote VTEP, plus the appended all-zero flood entry) and neighbour
 * entries does the container on host A reach the one on host B, checked with a Java TCP connection.
 */
class VxlanOverlayKernelTest {
    private static final int VNI = 42;
    private static final String MAC_A = "02:42:0a:0a:00:02";
    private static final String MAC_B = "02:42:0a:0a:00:03";
    private static final String ZERO = "00:00:00:00:00:00";

    private final TestNamespaces namespaces = new TestNamespaces();

    @AfterEach
    void noNamespaceLeft() {
        assertThat(namespaces.cleanUp()).as("test namespaces left after the handles were closed").isEmpty();
    }

    @Test
    void containerOnHostAReachesContainerOnHostBOverVxlanWithStaticFdb() throws Exception {
        try (Netlib netlib = E2e.openOrSkip();
                Namespace hostANs = namespaces.create(netlib, "vxha");
                Namespace hostBNs = namespaces.create(netlib, "vxhb");
                Namespace cANs = namespaces.create(netlib, "vxca");
                Namespace cBNs = namespaces.create(netlib, "vxcb")) {
            Netlib hostA = netlib.in(hostANs);
            Netlib hostB = netlib.in(hostBNs);
            hostA.link("lo").up();
            hostB.link("lo").up();

            // the underlay: one veth pair between the hosts, each end named ul0
            hostA.veth("ul0").up().peer("ul0", p -> p.namespace(hostBNs).up()).create();
            hostA.addresses().add("ul0", "10.0.0.1/24");
            hostB.addresses().add("ul0", "10.0.0.2/24");

            buildHost(netlib, hostA, "10.0.0.1", cANs, "10.10.0.2/24", MAC_A);
            buildHost(netlib, hostB, "10.0.0.2", cBNs, "10.10.0.3/24", MAC_B);

            checkVxlan(hostA, "10.0.0.1");
            checkVxlan(hostB, "10.0.0.2");
            if (ThrowawayNetns.hasIp()) {
                String json = E2e.ip("-n", hostANs.name().orElseThrow(), "-d", "-j", "link", "show", "vx42");
                assertThat(json).contains("\"info_kind\":\"vxlan\"").contains("\"id\":42").contains("\"port\":4789")
                        .contains("\"local\":\"10.0.0.1\"").contains("\"learning\":false").contains("\"master\":\"br0\"");
            }

            // learning off and no FDB entry: the frames have nowhere to go
            netlib.in(cANs).neighbors().add("eth0", "10.10.0.3", MAC_B);
            netlib.in(cBNs).neighbors().add("eth0", "10.10.0.2", MAC_A);
            TcpExchange.assertUnreachable(cANs, "10.10.0.3", 1000);

            // static FDB: the remote container's MAC behind the remote VTEP, and the flood entry appended
            hostA.fdb().entry("vx42", MAC_B).destination("10.0.0.2").self().add();
            hostA.fdb().entry("vx42", ZERO).destination("10.0.0.2").self().append();
            hostB.fdb().entry("vx42", MAC_A).destination("10.0.0.1").self().add();
            hostB.fdb().entry("vx42", ZERO).destination("10.0.0.1").self().append();

            checkFdb(hostA, MAC_B, "10.0.0.2");
            checkFdb(hostB, MAC_A, "10.0.0.1");
            checkNeighbor(netlib.in(cANs), "10.10.0.3", MAC_B);
            if (E2e.hasBridgeTool()) {
                String fdb = E2e.run("bridge", "-n", hostANs.name().orElseThrow(), "-j", "fdb", "show", "dev", "vx42");
                assertThat(fdb).contains("\"mac\":\"" + MAC_B + "\",\"dst\":\"10.0.0.2\"")
                        .contains("\"mac\":\"" + ZERO + "\",\"dst\":\"10.0.0.2\"");
            }
            if (ThrowawayNetns.hasIp()) {
                assertThat(E2e.ip("-n", cANs.name().orElseThrow(), "-j", "neigh", "show", "dev", "eth0"))
                        .contains("\"dst\":\"10.10.0.3\",\"lladdr\":\"" + MAC_B + "\"").contains("PERMANENT");
            }

            // A's container reaches B's: 64 KiB each way, full-size segments through the 1450-byte overlay
            TcpExchange.exchangeAndCheck(cBNs, "10.10.0.3", cANs, "10.10.0.2", 64 * 1024);
            TcpExchange.exchangeAndCheck(cANs, "10.10.0.2", cBNs, "10.10.0.3", 64 * 1024);

            // the only path between the containers is the tunnel: vx42 counted the packets, and
            // removing the FDB entries on A cuts the path again
            if (ThrowawayNetns.hasIp()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"tx\":\\{\"bytes\":(\\d+),\"packets\":(\\d+)")
                        .matcher(E2e.ip("-n", hostANs.name().orElseThrow(), "-s", "-j", "link", "show", "vx42"));
                assertThat(m.find()).as("ip -s -j link show vx42 has tx statistics").isTrue();
                assertThat(Long.parseLong(m.group(1))).as("bytes sent through vx42").isGreaterThan(128 * 1024);
            }
            hostA.fdb().entry("vx42", MAC_B).destination("10.0.0.2").self().delete();
            hostA.fdb().entry("vx42", ZERO).destination("10.0.0.2").self().delete();
            assertThat(hostA.fdb().list("vx42")).noneMatch(f -> f.destination() != null);
            TcpExchange.assertUnreachable(cANs, "10.10.0.3", 1000);
        }
    }

    /** Bridge br0, vx42 on it, and a container whose eth0 (MTU 1450, fixed MAC) is on the bridge. */
    private static void buildHost(Netlib netlib, Netlib host, String vtep, Namespace container, String address, String mac) {
        host.bridge("br0").ipv6LinkLocal(false).up().create();
        host.vxlan("vx42").vni(VNI).local(vtep).port(4789).learning(false).device("ul0").master("br0")
                .ipv6LinkLocal(false).up().create();
        host.veth("vc0").master("br0").mtu(1450).ipv6LinkLocal(false).up()
                .peer("eth0", p -> p.namespace(container).mtu(1450).mac(mac).up())
                .create();
        netlib.in(container).batch().linkUp("lo").addAddress("eth0", address).apply();
    }

    private static void checkVxlan(Netlib host, String vtep) {
        LinkInfo vx = host.findLink("vx42").orElseThrow();
        assertThat(vx.kind()).isEqualTo("vxlan");
        assertThat(vx.masterName()).isEqualTo("br0");
        assertThat(vx.adminUp()).isTrue();
        assertThat(vx.mtu()).as("the kernel sizes a vxlan on a 1500-byte underlay to 1450").isEqualTo(1450);
        assertThat(vx.details()).isInstanceOfSatisfying(VxlanSpec.class, d -> {
            assertThat(d.vni()).isEqualTo(VNI);
            assertThat(d.port()).isEqualTo(4789);
            assertThat(d.local()).isEqualTo(IpAddresses.parse(vtep));
            assertThat(d.learning()).isFalse();
            assertThat(d.device()).isEqualTo("ul0");
        });
        assertThat(host.findLink("vc0").orElseThrow().masterName()).isEqualTo("br0");
    }

    private static void checkFdb(Netlib host, String remoteMac, String remoteVtep) {
        var entries = host.fdb().list("vx42");
        assertThat(entries).anySatisfy(f -> {
            assertThat(f.mac()).isEqualTo(MacAddress.parse(remoteMac));
            assertThat(f.destination()).isEqualTo(IpAddresses.parse(remoteVtep));
            assertThat(f.self()).isTrue();
            assertThat(f.isPermanent()).isTrue();
        });
        assertThat(entries).filteredOn(f -> f.mac().isZero()).extracting(FdbInfo::destination)
                .containsExactly(IpAddresses.parse(remoteVtep));
    }

    private static void checkNeighbor(Netlib c, String ip, String mac) {
        assertThat(c.neighbors().list()).filteredOn(n -> n.address().equals(IpAddresses.parse(ip)))
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.device()).isEqualTo("eth0");
                    assertThat(n.mac()).isEqualTo(MacAddress.parse(mac));
                    assertThat(n.states()).contains(NeighborState.PERMANENT);
                })
                .extracting(NeighborInfo::index).isNotNull();
    }
}
