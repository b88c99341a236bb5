package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.model.RouteSpec;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Addresses and routes. A real kernel gives every up link with carrier an IPv6 link-local
 * address (fe80::/64) and route unless its addrgenmode is none: assertions tolerate them.
 */
public abstract class AddressRouteContract extends LinkContract {
    /** RTPROT_KERNEL: routes the kernel made itself. */
    static final int RTPROT_KERNEL = 2;

    /** A namespace with a veth pair v0/v1, both up. */
    Netlib upPair() {
        Netlib ns = newHost();
        ns.veth("v0").up().peer("v1").create();
        ns.link("v1").up();
        return ns;
    }

    static List<String> prefixes(Netlib ns, String device) {
        return ns.addresses().list(device).stream().map(a -> a.address().toString()).toList();
    }

    static List<RouteInfo> routesTo(Netlib ns, String destination) {
        IpPrefix dst = IpPrefix.parse(destination);
        return ns.routes().list().stream().filter(r -> r.destination().equals(dst)).toList();
    }

    @Test
    void ipv4AndIpv6AddressesAddListDelete() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.addresses().add("v0", "fd00:1::2/64");
        assertThat(prefixes(ns, "v0")).contains("10.1.0.2/24", "fd00:1::2/64");
        AddressInfo v4 = ns.addresses().list("v0").stream().filter(a -> a.address().isIpv4()).findFirst().orElseThrow();
        assertThat(v4.index()).isEqualTo(info(ns, "v0").index());
        assertThat(v4.scope()).isEqualTo(RouteScope.UNIVERSE);
        assertThat(prefixes(ns, "v1")).noneMatch(p -> p.startsWith("10.") || p.startsWith("fd00:"));
        // the only other addresses a kernel may add are link-local ones
        assertThat(ns.addresses().list("v0")).allMatch(a -> a.address().equals(IpPrefix.parse("10.1.0.2/24"))
                || a.address().equals(IpPrefix.parse("fd00:1::2/64")) || a.address().address().isLinkLocalAddress());

        ns.addresses().delete("v0", "10.1.0.2/24");
        ns.addresses().delete("v0", "fd00:1::2/64");
        assertThat(prefixes(ns, "v0")).doesNotContain("10.1.0.2/24", "fd00:1::2/64");
    }

    @Test
    void connectedRoutesComeAndGoWithTheAddress() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.addresses().add("v0", "fd00:1::2/64");
        RouteInfo v4 = routesTo(ns, "10.1.0.0/24").stream().findFirst().orElseThrow();
        assertThat(v4.device()).isEqualTo("v0");
        assertThat(v4.protocol()).isEqualTo(RTPROT_KERNEL);
        assertThat(v4.scope()).isEqualTo(RouteScope.LINK);
        assertThat(v4.table()).isEqualTo(RouteSpec.MAIN_TABLE);
        assertThat(v4.gateway()).isNull();
        assertThat(routesTo(ns, "fd00:1::/64")).extracting(RouteInfo::device).containsExactly("v0");
        ns.addresses().delete("v0", "10.1.0.2/24");
        assertThat(routesTo(ns, "10.1.0.0/24")).isEmpty();
    }

    @Test
    void removingTheLastIpv4AddressOfALinkRemovesItsRoutes() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.addresses().add("v0", "10.2.0.2/24");
        ns.routes().addDefault("10.1.0.1");
        ns.routes().to("10.5.0.0/16").via("10.2.0.1").add();
        ns.addresses().delete("v0", "10.1.0.2/24");
        assertThat(ns.routes().defaults()).as("other addresses remain: gateway routes stay").hasSize(1);
        assertThat(routesTo(ns, "10.1.0.0/24")).isEmpty();
        ns.addresses().delete("v0", "10.2.0.2/24");
        assertThat(ns.routes().list()).noneMatch(r -> r.destination().isIpv4() && "v0".equals(r.device()));
    }

    @Test
    void deletingAPrimaryAddressTakesItsSecondaries() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.addresses().add("v0", "10.1.0.3/24");
        ns.addresses().add("v0", "10.9.0.3/24");
        ns.addresses().delete("v0", "10.1.0.2/24");
        assertThat(prefixes(ns, "v0")).doesNotContain("10.1.0.2/24", "10.1.0.3/24").contains("10.9.0.3/24");
    }

    @Test
    void anAddressOnADownLinkBringsItsRouteWhenTheLinkComesUp() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        ns.addresses().add("v0", "10.1.0.2/24");
        assertThat(prefixes(ns, "v0")).contains("10.1.0.2/24");
        assertThat(routesTo(ns, "10.1.0.0/24")).isEmpty();
        ns.link("v0").up();
        assertThat(routesTo(ns, "10.1.0.0/24")).extracting(RouteInfo::device).containsExactly("v0");
        ns.link("v0").down();
        assertThat(routesTo(ns, "10.1.0.0/24")).as("routes leave with the link").isEmpty();
        assertThat(prefixes(ns, "v0")).as("IPv4 addresses stay").contains("10.1.0.2/24");
    }

    @Test
    void addressErrors() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        assertThatThrownBy(() -> ns.addresses().add("v0", "10.1.0.2/24")).isInstanceOf(AlreadyExistsException.class);
        ns.addresses().add("v0", "fd00:1::2/64");
        assertThatThrownBy(() -> ns.addresses().add("v0", "fd00:1::2/64")).isInstanceOf(AlreadyExistsException.class);
        assertErrno("EADDRNOTAVAIL", () -> ns.addresses().delete("v0", "10.1.0.3/24"));
        assertErrno("EADDRNOTAVAIL", () -> ns.addresses().delete("v0", "fd00:1::3/64"));
        assertThatThrownBy(() -> ns.addresses().add("nosuch", "10.2.0.1/24")).isInstanceOf(NotFoundException.class);
        // the same address on another link is allowed
        ns.addresses().add("v1", "10.1.0.2/24");
    }

    @Test
    void defaultRouteViaAGateway() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.routes().addDefault("10.1.0.1");
        List<RouteInfo> defaults = ns.routes().defaults();
        assertThat(defaults).hasSize(1);
        RouteInfo d = defaults.get(0);
        assertThat(d.isDefault()).isTrue();
        assertThat(d.gateway()).isEqualTo(IpAddresses.parse("10.1.0.1"));
        assertThat(d.device()).isEqualTo("v0");
        assertThat(d.scope()).isEqualTo(RouteScope.UNIVERSE);
        assertThat(d.table()).isEqualTo(RouteSpec.MAIN_TABLE);
        assertThatThrownBy(() -> ns.routes().addDefault("10.1.0.1")).isInstanceOf(AlreadyExistsException.class);
        ns.routes().to("default").via("10.1.0.1").delete();
        assertThat(ns.routes().defaults()).isEmpty();
    }

    @Test
    void ipv6DefaultRouteViaAGateway() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "fd00:1::2/64");
        ns.routes().addDefault("fd00:1::1");
        assertThat(ns.routes().defaults()).singleElement().satisfies(r -> {
            assertThat(r.destination()).isEqualTo(IpPrefix.parse("::/0"));
            assertThat(r.gateway()).isEqualTo(IpAddresses.parse("fd00:1::1"));
            assertThat(r.device()).isEqualTo("v0");
        });
    }

    @Test
    void deviceRouteScopeAndTable() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        ns.routes().to("10.9.0.0/16").dev("v0").add();
        assertThat(routesTo(ns, "10.9.0.0/16")).singleElement().satisfies(r -> {
            assertThat(r.device()).isEqualTo("v0");
            assertThat(r.gateway()).isNull();
            assertThat(r.scope()).as("a device route without gateway gets link scope").isEqualTo(RouteScope.LINK);
        });
        ns.routes().to("10.8.0.0/16").dev("v0").scope(RouteScope.UNIVERSE).add();
        assertThat(routesTo(ns, "10.8.0.0/16")).singleElement().extracting(RouteInfo::scope).isEqualTo(RouteScope.UNIVERSE);
        ns.routes().to("10.7.0.0/16").via("10.1.0.1").table(100).add();
        assertThat(routesTo(ns, "10.7.0.0/16")).singleElement().satisfies(r -> {
            assertThat(r.table()).isEqualTo(100);
            assertThat(r.gateway()).isEqualTo(IpAddresses.parse("10.1.0.1"));
        });
        ns.routes().to("10.9.0.0/16").dev("v0").delete();
        assertThat(routesTo(ns, "10.9.0.0/16")).isEmpty();
        ns.routes().to("10.7.0.0/16").via("10.1.0.1").table(100).delete();
        assertThat(routesTo(ns, "10.7.0.0/16")).isEmpty();
    }

    @Test
    void aGatewayNoConnectedRouteCoversIsUnreachable() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        KernelException e = assertErrno("ENETUNREACH", () -> ns.routes().addDefault("10.99.0.1"));
        assertThat(e.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("Nexthop has invalid gateway"));
        assertErrno("ENETUNREACH", () -> ns.routes().to("10.6.0.0/16").via("10.99.0.1").table(100).add());
        assertThat(ns.routes().defaults()).isEmpty();
        // a gateway reachable only through a down link is just as unreachable
        ns.addresses().add("v1", "10.2.0.2/24");
        ns.link("v1").down();
        assertErrno("ENETUNREACH", () -> ns.routes().addDefault("10.2.0.1"));
    }

    @Test
    void routeErrors() {
        Netlib ns = upPair();
        ns.addresses().add("v0", "10.1.0.2/24");
        assertErrno("ESRCH", () -> ns.routes().to("10.5.0.0/16").dev("v0").delete());
        assertThatThrownBy(() -> ns.routes().to("10.5.0.0/16").dev("nosuch").add()).isInstanceOf(NotFoundException.class);
        ns.bridge("br0").create();
        assertErrno("ENETDOWN", () -> ns.routes().to("10.5.0.0/16").dev("br0").add());
    }
}
