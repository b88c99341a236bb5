package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.OperState;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * Finer kernel behaviour that FakeKernel models and users notice: link-local addresses, what a
 * link loses when it goes down or moves, bridges following their ports, kernel defaults.
 */
public abstract class KernelDetailsContract extends NamespaceContract {

    @Test
    void linkLocalAddressIsTheEui64OfTheMac() {
        Netlib ns = newHost();
        ns.veth("v0").mac("02:11:22:33:44:55").up().peer("v1").create();
        ns.link("v1").up();
        eventually(() -> assertThat(ns.link("v0").addresses()).contains(IpPrefix.parse("fe80::11:22ff:fe33:4455/64")));
        assertThat(routesTo(ns, "fe80::/64")).extracting(RouteInfo::device).contains("v0");
    }

    @Test
    void aHostAddressBringsNoConnectedRoute() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.9.9.9/32");
        assertThat(prefixes(ns, "v0")).contains("10.9.9.9/32");
        assertThat(ns.routes().list()).noneMatch(r -> r.destination().isIpv4() && "v0".equals(r.device()));
    }

    @Test
    void ipForwardIsTheAllForwardingSwitch() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        ns.sysctls().set("net.ipv4.ip_forward", "1");
        assertThat(ns.sysctls().get("net.ipv4.conf.all.forwarding")).isEqualTo("1");
        assertThat(ns.sysctls().get("net.ipv4.conf.v0.forwarding")).isEqualTo("1");
        ns.sysctls().set("net.ipv4.conf.all.forwarding", "0");
        assertThat(ns.sysctls().get("net.ipv4.ip_forward")).isEqualTo("0");
    }

    @Test
    void takingALinkDownDropsItsIpv6AddressesAndNeighbours() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.addresses().add("v0", "fd00:1::2/64");
        ns.neighbors().add("v0", "10.1.0.5", "02:00:00:00:00:05");
        ns.link("v0").down();
        assertThat(prefixes(ns, "v0")).containsExactly("10.1.0.2/24");
        assertThat(NeighborFdbContract.neighbor(ns, "10.1.0.5")).isEmpty();
        assertThat(routesTo(ns, "fd00:1::/64")).isEmpty();
    }

    @Test
    void aMovedLinkArrivesDownWithoutAddresses() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        Netlib inA = host.in(a);
        inA.veth("v0").up().peer("v1").create();
        inA.addresses().add("v0", "10.1.0.2/24");
        inA.link("v0").moveTo(b);
        Netlib inB = host.in(b);
        assertThat(info(inB, "v0").adminUp()).isFalse();
        assertThat(inB.addresses().list("v0")).isEmpty();
        assertThat(inA.addresses().list()).noneMatch(x -> x.address().equals(IpPrefix.parse("10.1.0.2/24")));
        assertThat(routesTo(inA, "10.1.0.0/24")).isEmpty();
    }

    @Test
    void aBridgeTakesTheMtuAndLowestMacOfItsPorts() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        ns.veth("v0").mtu(9000).mac("02:00:00:00:00:09").peer("v1").create();
        ns.veth("v2").mtu(9000).mac("02:00:00:00:00:02").peer("v3").create();
        ns.link("v0").master("br0");
        ns.link("v2").master("br0");
        assertThat(info(ns, "br0").mtu()).isEqualTo(9000);
        assertThat(info(ns, "br0").mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:02"));
    }

    @Test
    void aBridgeHasCarrierWhileAPortHas() {
        Netlib ns = newHost();
        ns.bridge("br0").up().create();
        ns.veth("v0").master("br0").peer("v1").create();
        eventually(() -> assertThat(info(ns, "br0").operState()).isEqualTo(OperState.DOWN));
        ns.link("v0").up();
        ns.link("v1").up();
        eventually(() -> assertThat(info(ns, "br0").operState()).isEqualTo(OperState.UP));
        ns.link("v1").down();
        eventually(() -> assertThat(info(ns, "br0").operState()).isEqualTo(OperState.DOWN));
    }

    @Test
    void ipv6RouteMetrics() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "fd00:1::2/64");
        assertThat(routesTo(ns, "fd00:1::/64")).singleElement().extracting(RouteInfo::metric).isEqualTo(256);
        ns.routes().to("fd00:2::/64").via("fd00:1::1").add();
        assertThat(routesTo(ns, "fd00:2::/64")).singleElement().satisfies(r -> {
            assertThat(r.metric()).as("IP6_RT_PRIO_USER").isEqualTo(1024);
            assertThat(r.device()).isEqualTo("v0");
        });
        assertErrno("EHOSTUNREACH", () -> ns.routes().to("fd00:3::/64").via("fd00:9::1").add());
    }

    @Test
    void macvlanDefaultsToVepaAndItsParentsMtu() {
        Netlib ns = newHost();
        ns.veth("p0").mtu(9000).peer("p1").create();
        ns.macvlan("mv0").parent("p0").create();
        assertThat(info(ns, "mv0").mtu()).isEqualTo(9000);
        assertThat(((MacvlanSpec) info(ns, "mv0").details()).mode()).isEqualTo(MacvlanMode.VEPA);
        assertErrno("EINVAL", () -> ns.link("mv0").mtu(9001));
    }

    @Test
    void vxlanWithoutAPortGetsTheLinuxDefault8472() {
        Namespace ns = newNamespace();
        backend.apply(ns.ref(), new CreateLink("vx0", LinkAttributes.NONE,
                new VxlanSpec(9, null, null, null, null, null, null, null, null, null, null)));
        assertThat(((VxlanSpec) info(host.in(ns), "vx0").details()).port()).isEqualTo(8472);
    }
}
