package dev.netlib.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.KernelException;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What FakeKernel does beyond the backend contract: history, processes, lifetimes, kernel details. */
class FakeKernelTest extends FakeHostFixture {
    @Test
    void rootNamespaceIsAMachineWithLoopbackUp() {
        assertThat(host.links()).extracting(LinkInfo::name).containsExactly("lo");
        assertThat(host.link("lo").info().adminUp()).isTrue();
        assertThat(host.addresses().list("lo")).extracting(a -> a.address().toString()).containsExactly("127.0.0.1/8", "::1/128");
        assertThat(host.namespaces().list()).isEmpty();
        assertThat(kernel.name()).isEqualTo("fake");
    }

    @Test
    void historyNamesTheNamespaceAsIpDoes() {
        host.bridge("br0").create();
        try (Namespace ns = host.namespaces().create("c1")) {
            host.in(ns).bridge("br1").up().create();
            host.in(ns).sysctls().set("net.ipv4.ip_forward", "1");
        }
        assertThat(kernel.history()).containsExactly(
                "ip link add name br0 type bridge",
                "ip netns add c1",
                "ip -n c1 link add name br1 up type bridge",
                "ip netns exec c1 sysctl -w net.ipv4.ip_forward=1",
                "ip netns del c1");
        kernel.clearHistory();
        assertThat(kernel.history()).isEmpty();
    }

    @Test
    void processesAreFoundByPidAndPath() {
        Namespace ns = host.namespaces().createAnonymous();
        kernel.registerProcess(4242, ns.ref());
        Namespace byPid = host.namespaces().ofPid(4242);
        assertThat(byPid.inode()).isEqualTo(ns.inode());
        try (Namespace byPath = host.namespaces().open(Path.of("/proc/4242/ns/net"))) {
            assertThat(byPath.inode()).isEqualTo(ns.inode());
        }
        assertThatThrownBy(() -> host.namespaces().ofPid(4243)).isInstanceOf(NotFoundException.class);
        assertThat(host.namespaces().open(Path.of("/proc/self/ns/net")).inode()).isEqualTo(host.namespace().inode());
        assertThat(host.namespaces().ofPid(ProcessHandle.current().pid()).inode()).isEqualTo(host.namespace().inode());

        // the process keeps the anonymous namespace alive after every handle is gone
        host.in(ns).bridge("br0").create();
        ns.close();
        byPid.close();
        Namespace again = host.namespaces().ofPid(4242);
        assertThat(host.in(again).findLink("br0")).isPresent();
        again.close();
        kernel.unregisterProcess(4242);
        assertThat(kernel.snapshot().namespaces()).hasSize(1);
    }

    @Test
    void aNamedNamespaceLivesWhileARefIsOpen() {
        Namespace owner = host.namespaces().create("c1");
        Namespace other = host.namespaces().create("c2");
        host.in(owner).veth("h0").peer("eth0", p -> p.namespace(other)).create();
        Namespace borrowed = host.namespaces().open("c1");
        owner.delete();
        assertThat(host.namespaces().list()).containsExactly("c2");
        assertThat(host.in(borrowed).findLink("h0")).as("still held by the borrowed fd").isPresent();
        borrowed.close();
        assertThat(host.in(other).findLink("eth0")).as("destroyed with the last holder").isEmpty();
        other.close();
        assertThat(kernel.snapshot().namespaces()).hasSize(1);
    }

    @Test
    void anAnonymousNamespaceDiesWithItsHandle() {
        try (Namespace c = host.namespaces().create("c1")) {
            Namespace anon = host.namespaces().createAnonymous();
            host.in(anon).veth("eth0").peer("h0", p -> p.namespace(c)).create();
            assertThat(host.in(c).findLink("h0")).isPresent();
            anon.close();
            assertThat(host.in(c).findLink("h0")).isEmpty();
            assertThatThrownBy(() -> kernel.links(anon.ref())).isInstanceOf(KernelException.class).hasMessageContaining("EBADF");
        }
    }

    @Test
    void runTellsTheTaskItsNamespace() throws Exception {
        try (Namespace ns = host.namespaces().create("c1")) {
            NetnsRef seen = ns.run(() -> kernel.namespaceOfCurrentThread().orElseThrow());
            assertThat(seen.inode()).isEqualTo(ns.inode());
            String thread = ns.run(() -> Thread.currentThread().getName());
            assertThat(thread).startsWith("netlib-fake-netns-");
            assertThat(kernel.namespaceOfCurrentThread()).isEmpty();
        }
    }

    @Test
    void vethPeersAcrossNamespacesGetNamespaceIds() {
        try (Namespace a = host.namespaces().create("a"); Namespace b = host.namespaces().create("b")) {
            assertThat(kernel.namespaceId(a.ref(), b.ref())).isEqualTo(-1);
            host.in(a).veth("h0").peer("eth0", p -> p.namespace(b)).create();
            int idOfB = kernel.namespaceId(a.ref(), b.ref());
            assertThat(idOfB).isNotNegative();
            assertThat(host.in(a).link("h0").info().linkNetnsId()).isEqualTo(idOfB);
            assertThat(host.in(b).link("eth0").info().linkNetnsId()).isEqualTo(kernel.namespaceId(b.ref(), a.ref()));
        }
    }

    @Test
    void aBridgeFollowsItsPortsUnlessTold() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            in.bridge("br0").create();
            in.veth("v0").mtu(9000).mac("02:00:00:00:00:09").peer("v1").create();
            in.veth("v2").mtu(9000).mac("02:00:00:00:00:02").peer("v3").create();
            in.link("v0").master("br0");
            in.link("v2").master("br0");
            LinkInfo br = in.link("br0").info();
            assertThat(br.mtu()).isEqualTo(9000);
            assertThat(br.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:02"));
            in.link("br0").mtu(1500);
            in.link("v0").mtu(8000);
            assertThat(in.link("br0").info().mtu()).as("set by the user: stays").isEqualTo(1500);
        }
    }

    @Test
    void linkLocalAddressesAreEui64OfTheMac() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            in.veth("v0").mac("02:11:22:33:44:55").up().peer("v1").create();
            assertThat(in.addresses().list("v0")).as("no carrier yet").isEmpty();
            in.link("v1").up();
            assertThat(in.link("v0").addresses()).containsExactly(IpPrefix.parse("fe80::11:22ff:fe33:4455/64"));
            assertThat(in.routes().list()).anyMatch(r -> r.destination().equals(IpPrefix.parse("fe80::/64")) && "v0".equals(r.device()));
            in.link("v0").down();
            assertThat(in.addresses().list("v0")).isEmpty();
        }
    }

    @Test
    void ipForwardingSwitchesEveryDevice() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            in.bridge("br0").create();
            in.sysctls().set("net.ipv4.ip_forward", "1");
            assertThat(in.sysctls().get("net.ipv4.conf.all.forwarding")).isEqualTo("1");
            assertThat(in.sysctls().get("net.ipv4.conf.br0.forwarding")).isEqualTo("1");
            in.sysctls().set("net.ipv4.ping_group_range", "0   2147483647");
            assertThat(in.sysctls().get("net.ipv4.ping_group_range")).isEqualTo("0\t2147483647");
        }
    }

    @Test
    void ipv6DisabledOnADeviceRefusesIpv6Addresses() {
        try (Namespace ns = host.namespaces().create("c1")) {
            Netlib in = host.in(ns);
            in.veth("lxc.1").peer("v1").create();
            in.sysctls().set("net.ipv6.conf.lxc/1.disable_ipv6", "1");
            assertThat(in.sysctls().get("net/ipv6/conf/lxc.1/disable_ipv6")).isEqualTo("1");
            assertThatThrownBy(() -> in.addresses().add("lxc.1", "fd00::1/64")).hasMessageContaining("EACCES")
                    .hasMessageContaining("IPv6 is disabled on this device");
            in.addresses().add("lxc.1", "10.0.0.1/24");
        }
    }

    @Test
    void loopbackAndTheRootNamespaceCannotBeDeleted() {
        assertThatThrownBy(() -> kernel.apply(kernel.root(), new DeleteLink("lo"))).hasMessageContaining("EOPNOTSUPP");
        assertThatThrownBy(() -> kernel.deleteNamespace(kernel.root())).hasMessageContaining("EBUSY");
        assertThatThrownBy(() -> host.namespace().delete()).isInstanceOf(NetlibException.class);
    }

    @Test
    void aClosedKernelRefusesRequests() {
        FakeKernel k = new FakeKernel();
        NetnsRef ns = k.createNamespace("x");
        k.close();
        assertThatThrownBy(() -> k.links(k.root())).isInstanceOf(NetlibException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> k.openNamespace(new NamespaceLocator.ByName("x"))).isInstanceOf(NetlibException.class);
        assertThat(ns.name()).hasValue("x");
    }

    @Test
    void manyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    Namespace ns = host.namespaces().create("t" + id);
                    for (int i = 0; i < 25; i++) {
                        host.in(ns).veth("v" + i).peer("p" + id + "." + i, p -> p.namespace(host.namespace())).create();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(host.namespaces().list()).hasSize(8);
        assertThat(host.links()).hasSize(1 + 8 * 25).extracting(LinkInfo::index).doesNotHaveDuplicates();
    }
}
