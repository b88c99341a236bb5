package dev.netlib.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Link;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.VethPair;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.NotFoundException;
import dev.netlib.fake.FakeHostFixture;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.IpPrefix;
import org.junit.jupiter.api.Test;

/** The public API on FakeKernel: the S3 "manual way" and the basic object lifecycles. */
class FluentApiTest extends FakeHostFixture {
    @Test
    void scenarioS3TheManualWay() {
        try (Namespace ns1 = host.namespaces().create("ns1")) {
            Link bridge = host.bridge("lxcbr0").up().create();
            bridge.addAddress("192.168.10.1/24");
            VethPair pair = host.veth("lxcbr0.1").master("lxcbr0").up()
                    .peer("eth0", p -> p.namespace(ns1).up())
                    .create();
            Netlib inside = host.in(ns1);
            inside.link("lo").up();
            inside.addresses().add("eth0", "192.168.10.11/24");
            inside.routes().addDefault("192.168.10.1");

            LinkInfo eth0 = pair.peer().info();
            assertThat(eth0.name()).isEqualTo("eth0");
            assertThat(eth0.adminUp()).isTrue();
            LinkInfo hostEnd = pair.local().info();
            assertThat(hostEnd.masterName()).isEqualTo("lxcbr0");
            assertThat(eth0.linkIndex()).isEqualTo(hostEnd.index());
            assertThat(inside.routes().defaults()).extracting(RouteInfo::device).containsExactly("eth0");
            // eth0 is up with carrier, so (as on Linux) it also has its IPv6 link-local fe80::/64 address.
            assertThat(pair.peer().addresses()).contains(IpPrefix.parse("192.168.10.11/24"))
                    .allMatch(p -> p.equals(IpPrefix.parse("192.168.10.11/24")) || p.address().isLinkLocalAddress());
            assertThat(host.namespaces().list()).contains("ns1");
        }
        assertThat(host.namespaces().list()).doesNotContain("ns1");
        // the namespace took eth0 with it, and the veth's host end with eth0
        assertThat(host.findLink("lxcbr0.1")).isEmpty();
    }

    @Test
    void typedErrorsForDuplicatesAndMissingLinks() {
        host.dummy("d0").create();
        assertThatThrownBy(() -> host.dummy("d0").create()).isInstanceOf(AlreadyExistsException.class).hasMessageContaining("ip link add");
        assertThatThrownBy(() -> host.link("nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void vxlanPortDefaultsTo4789AndOnlySetOptionsAreSent() {
        Link vx = host.vxlan("vx0").vni(42).remote("192.0.2.2").create();
        assertThat(kernel.history()).anyMatch(c -> c.contains("ip link add name vx0 type vxlan id 42 remote 192.0.2.2 dstport 4789"));
        assertThat(kernel.history()).noneMatch(c -> c.contains("ttl") || c.contains("learning"));
        assertThat(vx.info().details()).isInstanceOf(VxlanSpec.class);
        assertThat(((VxlanSpec) vx.info().details()).port()).isEqualTo(4789);
    }

    @Test
    void renameMoveAndDelete() {
        try (Namespace other = host.namespaces().createAnonymous()) {
            Link d = host.dummy("d0").create();
            Link renamed = d.rename("d1");
            assertThat(host.findLink("d0")).isEmpty();
            Link moved = renamed.moveTo(other);
            assertThat(host.findLink("d1")).isEmpty();
            assertThat(moved.info().name()).isEqualTo("d1");
            moved.delete();
            assertThat(host.in(other).findLink("d1")).isEmpty();
        }
    }

    @Test
    void batchRendersAsIpBatchLines() {
        try (Namespace ns = host.namespaces().create("c1")) {
            host.veth("h1").peer("eth0", p -> p.namespace(ns)).create();
            var batch = host.in(ns).batch().linkUp("lo").linkUp("eth0").addAddress("eth0", "10.0.0.2/24").addDefaultRoute("10.0.0.1");
            assertThat(batch.commands()).containsExactly(
                    "ip -n c1 link set dev lo up",
                    "ip -n c1 link set dev eth0 up",
                    "ip -n c1 addr add 10.0.0.2/24 dev eth0",
                    "ip -n c1 route add default via 10.0.0.1");
            batch.apply();
            assertThat(host.in(ns).routes().defaults()).hasSize(1);
        }
    }

    @Test
    void sysctlsArePerNamespace() {
        try (Namespace ns = host.namespaces().create("c2")) {
            host.in(ns).sysctls().enableIpv4Forwarding();
            assertThat(host.in(ns).sysctls().get("net.ipv4.ip_forward")).isEqualTo("1");
            assertThat(host.sysctls().get("net.ipv4.ip_forward")).isEqualTo("0");
        }
    }
}
