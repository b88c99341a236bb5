package dev.netlib.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.Namespace;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.fake.FakeKernel;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input of the builders and operations is refused with a message that says what is
 * allowed, and the backend sees no request at all for it.
 */
class BadInputTest {
    private FakeKernel kernel;
    private Netlib netlib;

    @BeforeEach
    void open() {
        kernel = new FakeKernel();
        netlib = Netlib.open(kernel);
        kernel.resetCounts();
    }

    @AfterEach
    void close() {
        netlib.close();
        kernel.close();
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
                bad("batch bad gateway", n -> n.batch().addDefaultRoute("gateway")));
    }

    private static Arguments bad(String what, Consumer<Netlib> call) {
        return Arguments.of(what, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void refusedBeforeAnyRequest(String what, Consumer<Netlib> call) {
        assertThatThrownBy(() -> call.accept(netlib))
                .as(what)
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        assertThat(kernel.requestCount()).as("requests the backend saw for: " + what).isZero();
    }

    @Test
    void messagesSayWhatIsAllowed() {
        assertThatThrownBy(() -> netlib.bridge("br0").mtu(67)).hasMessageContaining("allowed 68..65535");
        assertThatThrownBy(() -> netlib.vxlan("vx0").vni(0)).hasMessageContaining("allowed 1..16777215");
        assertThatThrownBy(() -> netlib.dummy("abcdefghijklmnop")).hasMessageContaining("at most 15");
        assertThatThrownBy(() -> netlib.veth("v0").create()).hasMessageContaining("peer(");
    }

    @Test
    void linkOperationsOnClosedNamespaceAreRefusedBeforeAnyRequest() {
        Namespace ns = netlib.namespaces().createAnonymous();
        ns.close();
        kernel.resetCounts();
        assertThatThrownBy(() -> netlib.in(ns)).isInstanceOf(dev.netlib.error.NetlibException.class).hasMessageContaining("closed");
        assertThat(kernel.requestCount()).isZero();
    }
}
