package dev.netlib.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.model.LinkInfo;
import org.junit.jupiter.api.Test;

/** FakeSnapshot: an immutable value of the whole state, equal exactly when the state is. */
class FakeKernelSnapshotTest extends FakeHostFixture {
    @Test
    void twoFreshKernelsLookTheSame() {
        try (FakeKernel other = new FakeKernel()) {
            assertThat(other.snapshot()).isEqualTo(kernel.snapshot());
        }
    }

    @Test
    void readsDoNotChangeIt() {
        FakeSnapshot before = kernel.snapshot();
        host.links();
        host.routes().list();
        host.sysctls().get("net.ipv4.ip_forward");
        assertThat(kernel.snapshot()).isEqualTo(before);
    }

    @Test
    void aRefusedChangeLeavesNoTrace() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            in.bridge("br0").create();
            in.veth("v0").peer("v1").create();
            FakeSnapshot before = kernel.snapshot();
            assertThatThrownBy(() -> in.veth("v2").peer("br0").create()).isInstanceOf(AlreadyExistsException.class);
            assertThatThrownBy(() -> in.link("v0").mtu(70000)).hasMessageContaining("mtu greater than device maximum");
            assertThatThrownBy(() -> in.link("v0").master("v1")).hasMessageContaining("EOPNOTSUPP");
            assertThatThrownBy(() -> in.routes().addDefault("10.0.0.1")).hasMessageContaining("ENETUNREACH");
            assertThat(kernel.snapshot()).isEqualTo(before);
        }
    }

    @Test
    void everyChangeShows() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            FakeSnapshot empty = kernel.snapshot();
            in.bridge("br0").create();
            FakeSnapshot withBridge = kernel.snapshot();
            assertThat(withBridge).isNotEqualTo(empty);
            assertThat(withBridge.namespace("c1").orElseThrow().links()).extracting(LinkInfo::name).containsExactly("lo", "br0");
            in.sysctls().set("net.ipv4.ip_forward", "1");
            assertThat(kernel.snapshot()).isNotEqualTo(withBridge);
            assertThat(kernel.snapshot().namespace("c1").orElseThrow().sysctls()).containsEntry("net.ipv4.ip_forward", "1")
                    .containsEntry("net.ipv4.conf.br0.forwarding", "1");
            in.sysctls().set("net.ipv4.ip_forward", "0");
            in.link("br0").delete();
            assertThat(kernel.snapshot()).as("back where it started").isEqualTo(empty);
        }
    }

    @Test
    void describeReadsLikeIp() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            in.bridge("br0").up().create();
            in.veth("v0").master("br0").peer("v1").create();
            in.addresses().add("br0", "10.0.0.1/24");
            String text = kernel.snapshot().describe();
            assertThat(text).contains("netns c1", "br0", "master br0", "addr 10.0.0.1/24 dev br0", "route 10.0.0.0/24 dev br0",
                    "addr 127.0.0.1/8 dev lo");
        }
    }

    @Test
    void itIsImmutable() {
        FakeSnapshot s = kernel.snapshot();
        assertThatThrownBy(() -> s.namespaces().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.namespaces().get(0).links().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.namespaces().get(0).sysctls().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(s.namespaces()).hasSize(1);
        assertThat(s.namespaces().get(0).name()).isNull();
    }
}
