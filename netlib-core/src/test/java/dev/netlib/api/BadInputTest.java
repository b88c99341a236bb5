package dev.netlib.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Link;
import dev.netlib.Netlib;
import dev.netlib.Namespace;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.fake.FakeHostFixture;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import dev.netlib.value.NamespaceName;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input of the builders and operations is refused with a message that says what is
 * allowed, and the backend sees no request at all for it.
 */
class BadInputTest extends FakeHostFixture {
    @BeforeEach
    void resetCounts() {
        kernel.resetCounts();
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                bad("empty link name", n -> n.bridge("")),
                bad("16-byte link name", n -> n.bridge("abcdefghijklmnop")),
                bad("slash in name", n -> n.dummy("a/b")),
                bad("colon in name", n -> n.dummy("a:b")),
                bad("space in name", n -> n.dummy("a b")),
                bad("dot name", n -> n.dummy(".")),
                bad("dotdot name", n -> n.dummy("..")),
                bad("MTU too small", n -> n.bridge("br0").mtu(67)),
                bad("MTU too large", n -> n.bridge("br0").mtu(65536)),
                bad("multicast MAC", n -> n.bridge("br0").mac("01:00:5e:00:00:01")),
                bad("zero MAC", n -> n.bridge("br0").mac("00:00:00:00:00:00")),
                bad("bad MAC text", n -> n.bridge("br0").mac("02:42:ac:11:00")),
                bad("negative group", n -> n.bridge("br0").group(-1)),
                bad("veth without peer", n -> n.veth("v0").create()),
                bad("veth peer same name", n -> n.veth("v0").peer("v0").create()),
                bad("veth bad peer name", n -> n.veth("v0").peer("a/b")),
                bad("veth peer MTU", n -> n.veth("v0").peer("v1", p -> p.mtu(10))),
                bad("vxlan without VNI", n -> n.vxlan("vx0").create()),
                bad("VNI 0", n -> n.vxlan("vx0").vni(0)),
                bad("VNI too large", n -> n.vxlan("vx0").vni(16777216)),
                bad("vxlan port 0", n -> n.vxlan("vx0").vni(1).port(0)),
                bad("vxlan port 65536", n -> n.vxlan("vx0").vni(1).port(65536)),
                bad("vxlan TTL 256", n -> n.vxlan("vx0").vni(1).ttl(256)),
                bad("vxlan remote multicast", n -> n.vxlan("vx0").vni(1).remote("239.1.1.1")),
                bad("vxlan group unicast", n -> n.vxlan("vx0").vni(1).group("10.0.0.1")),
                bad("vxlan remote and group", n -> n.vxlan("vx0").vni(1).remote("10.0.0.1").group("239.1.1.1").device("eth0").create()),
                bad("vxlan mixed families", n -> n.vxlan("vx0").vni(1).local("10.0.0.1").remote("fd00::1").create()),
                bad("vxlan group without device", n -> n.vxlan("vx0").vni(1).group("239.1.1.1").create()),
                bad("vxlan bad local", n -> n.vxlan("vx0").vni(1).local("10.0.0")),
                bad("macvlan without parent", n -> n.macvlan("mv0").create()),
                bad("macvlan with master", n -> n.macvlan("mv0").parent("eth0").master("br0").create()),
                bad("address without prefix length digits", n -> n.addresses().add("lo", "10.0.0.1/")),
                bad("address prefix too long", n -> n.addresses().add("lo", "10.0.0.1/33")),
                bad("address bad device", n -> n.addresses().add("a b", "10.0.0.1/24")),
                bad("route host bits", n -> n.routes().to("10.0.0.1/24").via("10.0.0.254").add()),
                bad("route without via or dev", n -> n.routes().to("10.1.0.0/16").add()),
                bad("route family mismatch", n -> n.routes().to("10.1.0.0/16").via("fd00::1")),
                bad("route table 0", n -> n.routes().to("10.1.0.0/16").table(0)),
                bad("default route bad gateway", n -> n.routes().addDefault("10.0.0.300")),
                bad("neighbour bad MAC", n -> n.neighbors().add("lo", "10.0.0.1", "zz:zz:zz:zz:zz:zz")),
                bad("neighbour bad IP", n -> n.neighbors().add("lo", "10.0.0", "02:00:00:00:00:01")),
                bad("fdb flood entry without destination", n -> n.fdb().entry("lo", "00:00:00:00:00:00").add()),
                bad("fdb append without destination", n -> n.fdb().entry("lo", "02:00:00:00:00:01").append()),
                bad("fdb VNI 0", n -> n.fdb().entry("lo", "02:00:00:00:00:01").vni(0)),
                bad("sysctl escaping /proc/sys", n -> n.sysctls().get("../../etc/passwd")),
                bad("sysctl absolute path", n -> n.sysctls().set("/etc/passwd", "x")),
                bad("sysctl multi-line value", n -> n.sysctls().set("net.ipv4.ip_forward", "1\n0")),
                bad("namespace name with slash", n -> n.namespaces().create("a/b")),
                bad("namespace name dotdot", n -> n.namespaces().create("..")),
                bad("namespace name empty", n -> n.namespaces().open("")),
                bad("namespace pid 0", n -> n.namespaces().ofPid(0)),
                bad("link handle bad name", n -> n.link("a:b")),
                bad("group delete of group 0", n -> n.deleteLinkGroup(0)),
                bad("batch bad address", n -> n.batch().addAddress("eth0", "10.0.0.1/40")),
                bad("batch bad gateway", n -> n.batch().addDefaultRoute("gateway")),
                bad("batch bad link name", n -> n.batch().linkUp("a/b")),
                // builders: the remaining setters
                bad("negative txqueuelen", n -> n.bridge("br0").txQueueLength(-1)),
                bad("master with a bad name", n -> n.bridge("br0").master("a b")),
                bad("null MAC", n -> n.bridge("br0").mac((dev.netlib.value.MacAddress) null)),
                bad("veth peer multicast MAC", n -> n.veth("v0").peer("v1", p -> p.mac("01:00:5e:00:00:01"))),
                bad("veth peer zero MAC", n -> n.veth("v0").peer("v1", p -> p.mac("00:00:00:00:00:00"))),
                bad("veth peer bad master", n -> n.veth("v0").peer("v1", p -> p.master("a:b"))),
                bad("veth peer negative group", n -> n.veth("v0").peer("v1", p -> p.group(-2))),
                bad("veth peer negative txqueuelen", n -> n.veth("v0").peer("v1", p -> p.txQueueLength(-1))),
                bad("veth peer MTU too large", n -> n.veth("v0").peer("v1", p -> p.mtu(65536))),
                bad("vxlan negative VNI", n -> n.vxlan("vx0").vni(-1)),
                bad("vxlan negative TTL", n -> n.vxlan("vx0").vni(1).ttl(-1)),
                bad("vxlan bad device name", n -> n.vxlan("vx0").vni(1).device("a/b")),
                bad("vxlan bad remote", n -> n.vxlan("vx0").vni(1).remote("remote.example")),
                bad("vxlan bad group", n -> n.vxlan("vx0").vni(1).group("239.1.1")),
                bad("vxlan IPv6 group without device", n -> n.vxlan("vx0").vni(1).group("ff05::100").create()),
                bad("vxlan mixed families with group", n -> n.vxlan("vx0").vni(1).local("fd00::1").group("239.1.1.1").device("eth0").create()),
                bad("macvlan bad parent name", n -> n.macvlan("mv0").parent("a:b")),
                bad("macvlan null mode", n -> n.macvlan("mv0").mode(null)),
                bad("macvlan bad name", n -> n.macvlan("this-name-is-too-long")),
                bad("vxlan bad name", n -> n.vxlan("a b")),
                bad("veth bad name", n -> n.veth("")),
                bad("command() validates too", n -> n.veth("v0").command()),
                // addresses, routes, neighbours, FDB
                bad("address delete bad prefix", n -> n.addresses().delete("lo", "10.0.0.1/99")),
                bad("address delete bad device", n -> n.addresses().delete("a/b", "10.0.0.1/24")),
                bad("address list bad device", n -> n.addresses().list("a/b")),
                bad("address null prefix", n -> n.addresses().add("lo", (dev.netlib.value.IpPrefix) null)),
                bad("route to garbage", n -> n.routes().to("not-a-prefix")),
                bad("route IPv6 host bits", n -> n.routes().to("fd00::1/64")),
                bad("route bad device", n -> n.routes().to("10.1.0.0/16").dev("a b")),
                bad("route negative metric", n -> n.routes().to("10.1.0.0/16").metric(-1)),
                bad("route null scope", n -> n.routes().to("10.1.0.0/16").scope(null)),
                bad("route replace without via or dev", n -> n.routes().to("10.1.0.0/16").replace()),
                bad("route delete without via or dev", n -> n.routes().to("10.1.0.0/16").delete()),
                bad("route IPv6 default with IPv4 gateway", n -> n.routes().to("default6").via("10.0.0.1")),
                bad("neighbour replace bad MAC", n -> n.neighbors().replace("lo", "10.0.0.1", "02:00:00:00:00")),
                bad("neighbour delete bad IP", n -> n.neighbors().delete("lo", "10.0.0.256")),
                bad("neighbour bad device", n -> n.neighbors().add("a:b", "10.0.0.1", "02:00:00:00:00:01")),
                bad("fdb bad MAC", n -> n.fdb().entry("lo", "02:00:00:00:00:0g")),
                bad("fdb bad device", n -> n.fdb().entry("a/b", "02:00:00:00:00:01")),
                bad("fdb bad destination", n -> n.fdb().entry("lo", "02:00:00:00:00:01").destination("10.0.0")),
                bad("fdb VNI too large", n -> n.fdb().entry("lo", "02:00:00:00:00:01").vni(16777216)),
                bad("fdb flood entry delete without destination", n -> n.fdb().entry("lo", "00:00:00:00:00:00").delete()),
                bad("fdb list bad device", n -> n.fdb().list("a b")),
                // sysctls, namespaces, handles
                bad("sysctl empty key", n -> n.sysctls().get("")),
                bad("sysctl key with spaces", n -> n.sysctls().set("net.ipv4.ip forward", "1")),
                bad("sysctl null value", n -> n.sysctls().set("net.ipv4.ip_forward", null)),
                bad("namespace name too long", n -> n.namespaces().create("x".repeat(256))),
                bad("namespace name with NUL", n -> n.namespaces().create("a\0b")),
                bad("namespace delete bad name", n -> n.namespaces().delete("../x")),
                bad("namespace negative pid", n -> n.namespaces().ofPid(-5)),
                bad("findLink bad name", n -> n.findLink("a/b")),
                bad("negative group delete", n -> n.deleteLinkGroup(-3)),
                // value types
                bad("prefix garbage", n -> IpPrefix.parse("10.0.0.0/x")),
                bad("subnet with host bits", n -> IpPrefix.parseSubnet("172.20.18.5/24")),
                bad("prefix length above 128", n -> IpPrefix.parse("fd00::/129")),
                bad("prefix of() negative length", n -> IpPrefix.of(IpAddresses.parse("10.0.0.0"), -1)),
                bad("nth outside the prefix", n -> IpPrefix.parse("10.0.0.0/30").nth(4)),
                bad("indexOf outside the prefix", n -> IpPrefix.parse("10.0.0.0/30").indexOf(IpAddresses.parse("10.0.1.1"))),
                bad("IPv4 with leading zero", n -> IpAddresses.parse("10.0.0.01")),
                bad("IPv6 with zone", n -> IpAddresses.parse("fe80::1%eth0")),
                bad("host name instead of an address", n -> IpAddresses.parse("localhost")),
                bad("address bytes of wrong length", n -> IpAddresses.fromBytes(new byte[5])),
                bad("MAC of five bytes", n -> MacAddress.of(new byte[5])),
                bad("MAC text with bad separator", n -> MacAddress.parse("02.42.ac.11.00.02")),
                bad("MAC null text", n -> MacAddress.parse(null)),
                bad("MAC from an IPv6 address", n -> MacAddress.fromIpv4(IpAddresses.parse("fd00::1"))),
                bad("interface name null", n -> InterfaceName.validate(null)),
                bad("interface name 16 bytes of UTF-8", n -> InterfaceName.validate("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")),
                bad("namespace name null", n -> NamespaceName.validate(null)));
    }

    /** Operations on an existing link handle: the handle is looked up first, then the counts are reset. */
    static Stream<Arguments> badLinkCalls() {
        return Stream.of(
                badLink("MTU 0", l -> l.mtu(0)),
                badLink("negative MTU", l -> l.mtu(-1)),
                badLink("multicast MAC", l -> l.mac("33:33:00:00:00:01")),
                badLink("unparsable MAC", l -> l.mac("nope")),
                badLink("null MAC", l -> l.mac((MacAddress) null)),
                badLink("master bad name", l -> l.master("a/b")),
                badLink("negative group", l -> l.group(-1)),
                badLink("rename to a bad name", l -> l.rename("a:b")),
                badLink("rename to a 16-byte name", l -> l.rename("abcdefghijklmnop")),
                badLink("move and rename to a bad name", l -> l.moveTo(l.netlib().namespace(), "a b")),
                badLink("bad address", l -> l.addAddress("10.0.0.1/40")),
                badLink("null address", l -> l.addAddress((IpPrefix) null)));
    }

    private static Arguments badLink(String what, Consumer<Link> call) {
        return Arguments.of(what, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLinkCalls")
    void linkOperationsRefusedBeforeAnyRequest(String what, Consumer<Link> call) {
        Link lo = host.link("lo");
        kernel.resetCounts();
        assertThatThrownBy(() -> call.accept(lo))
                .as(what)
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        assertThat(kernel.requestCount()).as("requests the backend saw for: " + what).isZero();
    }

    private static Arguments bad(String what, Consumer<Netlib> call) {
        return Arguments.of(what, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void refusedBeforeAnyRequest(String what, Consumer<Netlib> call) {
        assertThatThrownBy(() -> call.accept(host))
                .as(what)
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        assertThat(kernel.requestCount()).as("requests the backend saw for: " + what).isZero();
    }

    @Test
    void theWitnessCountsValidCalls() {
        // the zero counts above mean something only if a valid call of the same shape is counted
        host.bridge("br0").mtu(68).create();
        assertThat(kernel.requestCount()).as("requests for a valid bridge create").isPositive();
    }

    @Test
    void messagesSayWhatIsAllowed() {
        assertThatThrownBy(() -> host.bridge("br0").mtu(67)).hasMessageContaining("allowed 68..65535");
        assertThatThrownBy(() -> host.vxlan("vx0").vni(0)).hasMessageContaining("allowed 1..16777215");
        assertThatThrownBy(() -> host.dummy("abcdefghijklmnop")).hasMessageContaining("at most 15");
        assertThatThrownBy(() -> host.veth("v0").create()).hasMessageContaining("peer(");
    }

    @Test
    void linkOperationsOnClosedNamespaceAreRefusedBeforeAnyRequest() {
        Namespace ns = host.namespaces().createAnonymous();
        ns.close();
        kernel.resetCounts();
        assertThatThrownBy(() -> host.in(ns)).isInstanceOf(dev.netlib.error.NetlibException.class).hasMessageContaining("closed");
        assertThat(kernel.requestCount()).isZero();
    }
}
