package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.model.BridgePortInfo;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.OperState;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.SetLink;
import dev.netlib.model.LinkAttributes;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Links: each kind with every attribute, veth peers across namespaces, names, rename, move, MTU, master. */
public abstract class LinkContract extends OperationContract {
    static final MacAddress MAC1 = MacAddress.parse("02:11:22:33:44:01");
    static final MacAddress MAC2 = MacAddress.parse("02:11:22:33:44:02");

    @Test
    void newNamespaceHasOnlyLoopbackDown() {
        Netlib ns = newHost();
        assertThat(ns.links()).extracting(LinkInfo::name).containsExactly("lo");
        LinkInfo lo = info(ns, "lo");
        assertThat(lo.index()).isEqualTo(1);
        assertThat(lo.adminUp()).isFalse();
        assertThat(lo.operState()).isEqualTo(OperState.DOWN);
        ns.link("lo").up();
        eventually(() -> assertThat(info(ns, "lo").operState()).isEqualTo(OperState.UNKNOWN));
        assertThat(ns.addresses().list("lo")).extracting(a -> a.address().toString()).contains("127.0.0.1/8");
    }

    @Test
    void bridgeWithEveryAttribute() {
        Netlib ns = newHost();
        ns.bridge("br0").mtu(1400).mac(MAC1).group(7).txQueueLength(500).stp(true).up().create();
        LinkInfo br = info(ns, "br0");
        assertThat(br.kind()).isEqualTo("bridge");
        assertThat(br.mtu()).isEqualTo(1400);
        assertThat(br.mac()).isEqualTo(MAC1);
        assertThat(br.adminUp()).isTrue();
        assertThat(br.group()).isEqualTo(7);
        assertThat(br.txQueueLength()).isEqualTo(500);
        assertThat(br.addrGenMode()).isEqualTo(Ipv6AddrGenMode.EUI64);
        assertThat(br.minMtu()).isEqualTo(68);
        assertThat(br.maxMtu()).isEqualTo(65535);
        assertThat(br.details()).isEqualTo(new BridgeSpec(true, false));
        assertThat(br.masterIndex()).isZero();
        assertThat(br.linkIndex()).isZero();
    }

    @Test
    void bridgeWithVlanFiltering() {
        Netlib ns = newHost();
        try {
            ns.bridge("br0").vlanFiltering(true).create();
        } catch (NotSupportedException e) {
            Assumptions.abort("this kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): " + e.getMessage());
        }
        assertThat(info(ns, "br0").details()).isEqualTo(new BridgeSpec(false, true));
    }

    /**
     * addrgenmode travels in IFLA_AF_SPEC, which Linux 6.x refuses in a create request
     * (EAFNOSUPPORT): a backend must set it right after creating the link.
     */
    @Test
    void ipv6LinkLocalOffAtCreation() {
        Netlib ns = newHost();
        ns.bridge("br0").ipv6LinkLocal(false).up().create();
        ns.veth("v0").ipv6LinkLocal(false).peer("v1", p -> p.ipv6LinkLocal(false)).create();
        assertThat(info(ns, "br0").addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
        assertThat(info(ns, "v0").addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
        assertThat(info(ns, "v1").addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
        ns.link("v0").up();
        ns.link("v1").up();
        eventually(() -> assertThat(info(ns, "v1").operState()).isEqualTo(OperState.UP));
        assertThat(ns.addresses().list()).as("no link-local addresses").noneMatch(a -> a.address().address().isLinkLocalAddress());
    }

    /**
     * Linux 6.x cannot open a veth peer before the pair is linked (veth_open() gives ENOTCONN
     * for IFF_UP in the peer's part of the create request): a backend must bring the peer up
     * right after creating the pair.
     */
    @Test
    void vethPeerUpInTheCreateRequest() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(a).veth("h0").up().peer("eth0", p -> p.namespace(b).up()).create();
        assertThat(info(host.in(b), "eth0").adminUp()).isTrue();
        eventually(() -> assertThat(info(host.in(a), "h0").operState()).isEqualTo(OperState.UP));
    }

    /**
     * Linux ignores IFLA_MASTER in the peer's part of a veth create request: a backend must
     * enslave the peer right after creating the pair.
     */
    @Test
    void vethPeerMasterInTheCreateRequest() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(b).bridge("br0").create();
        host.in(a).veth("h0").peer("eth0", p -> p.namespace(b).master("br0")).create();
        assertThat(info(host.in(b), "eth0").masterName()).isEqualTo("br0");
    }

    @Test
    void bridgeDefaultsWhenNothingIsSet() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        LinkInfo br = info(ns, "br0");
        assertThat(br.mtu()).isEqualTo(1500);
        assertThat(br.adminUp()).isFalse();
        assertThat(br.operState()).isEqualTo(OperState.DOWN);
        assertThat(br.group()).isZero();
        assertThat(br.mac().isMulticast()).isFalse();
        assertThat(br.details()).isEqualTo(new BridgeSpec(false, false));
    }

    @Test
    void vethWithEveryAttributeOnBothEnds() {
        Netlib ns = newHost();
        ns.veth("v0").mtu(1400).mac(MAC1).group(3).txQueueLength(200).up()
                .peer("v1", p -> p.mtu(1300).mac(MAC2).group(4).txQueueLength(100))
                .create();
        ns.link("v1").up();
        LinkInfo v0 = info(ns, "v0");
        LinkInfo v1 = info(ns, "v1");
        assertThat(v0.kind()).isEqualTo("veth");
        assertThat(v1.kind()).isEqualTo("veth");
        assertThat(v0.isVeth()).isTrue();
        assertThat(v0.mtu()).isEqualTo(1400);
        assertThat(v1.mtu()).isEqualTo(1300);
        assertThat(v0.mac()).isEqualTo(MAC1);
        assertThat(v1.mac()).isEqualTo(MAC2);
        assertThat(v0.group()).isEqualTo(3);
        assertThat(v1.group()).isEqualTo(4);
        assertThat(v0.txQueueLength()).isEqualTo(200);
        assertThat(v1.txQueueLength()).isEqualTo(100);
        assertThat(v0.linkIndex()).isEqualTo(v1.index());
        assertThat(v1.linkIndex()).isEqualTo(v0.index());
        assertThat(v0.linkNetnsId()).isEqualTo(-1);
        assertThat(v0.displayName()).isEqualTo("v0@if" + v1.index());
        assertThat(v0.adminUp()).isTrue();
        eventually(() -> {
            assertThat(info(ns, "v0").operState()).isEqualTo(OperState.UP);
            assertThat(info(ns, "v1").operState()).isEqualTo(OperState.UP);
        });
    }

    @Test
    void vethHasCarrierOnlyWhileBothEndsAreUp() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        ns.link("v0").up();
        eventually(() -> assertThat(info(ns, "v0").operState()).isEqualTo(OperState.LOWERLAYERDOWN));
        ns.link("v1").up();
        eventually(() -> assertThat(info(ns, "v0").operState()).isEqualTo(OperState.UP));
        ns.link("v1").down();
        eventually(() -> {
            assertThat(info(ns, "v0").operState()).isEqualTo(OperState.LOWERLAYERDOWN);
            assertThat(info(ns, "v1").operState()).isEqualTo(OperState.DOWN);
        });
    }

    @Test
    void vxlanWithEveryAttribute() {
        Netlib ns = newHost();
        ns.veth("u0").peer("u1").create();
        ns.vxlan("vx0").vni(4242).local("192.0.2.1").remote("192.0.2.2").port(4789).device("u0")
                .learning(false).proxy(true).l2miss(true).l3miss(true).ttl(64)
                .mtu(1400).mac(MAC1).group(5).up().create();
        LinkInfo vx = info(ns, "vx0");
        assertThat(vx.kind()).isEqualTo("vxlan");
        assertThat(vx.mtu()).isEqualTo(1400);
        assertThat(vx.mac()).isEqualTo(MAC1);
        assertThat(vx.group()).isEqualTo(5);
        assertThat(vx.adminUp()).isTrue();
        VxlanSpec x = (VxlanSpec) vx.details();
        assertThat(x.vni()).isEqualTo(4242);
        assertThat(x.local()).isEqualTo(IpAddresses.parse("192.0.2.1"));
        assertThat(x.remote()).isEqualTo(IpAddresses.parse("192.0.2.2"));
        assertThat(x.port()).isEqualTo(4789);
        assertThat(x.device()).isEqualTo("u0");
        assertThat(x.learning()).isFalse();
        assertThat(x.proxy()).isTrue();
        assertThat(x.l2miss()).isTrue();
        assertThat(x.l3miss()).isTrue();
        assertThat(x.ttl()).isEqualTo(64);
    }

    @Test
    void vxlanWithMulticastGroupAndKernelDefaults() {
        Netlib ns = newHost();
        ns.veth("u0").peer("u1").create();
        ns.vxlan("vx0").vni(7).group("239.1.1.1").device("u0").create();
        VxlanSpec x = (VxlanSpec) info(ns, "vx0").details();
        assertThat(x.group()).isEqualTo(IpAddresses.parse("239.1.1.1"));
        assertThat(x.port()).as("netlib sends 4789 unless told otherwise").isEqualTo(4789);
        assertThat(x.learning()).as("kernel default").isTrue();
        assertThat(x.ttl()).as("kernel default: inherit").isZero();
        assertThat(info(ns, "vx0").mtu()).as("underlay MTU minus the VXLAN headroom").isEqualTo(1450);
        KernelException dup = catchThrowableOfType(() -> ns.vxlan("vx1").vni(7).create(), KernelException.class);
        assertThat(dup).as("a second device with the same VNI and port").isInstanceOf(AlreadyExistsException.class);
        assertThat(dup.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("VNI already exists"));
        ns.vxlan("vx1").vni(7).port(4790).create();
        assertErrno("EINVAL", () -> ns.link("vx0").mtu(1451));
        // the tunnel goes with its underlay
        ns.link("u0").delete();
        assertThat(ns.findLink("vx0")).isEmpty();
        assertThat(ns.findLink("vx1")).isPresent();
    }

    @Test
    void macvlanOnAParentWithEveryAttribute() {
        Netlib ns = newHost();
        ns.veth("p0").peer("p1").create();
        ns.macvlan("mv0").parent("p0").mode(MacvlanMode.BRIDGE).mtu(1400).mac(MAC1).group(2).up().create();
        LinkInfo mv = info(ns, "mv0");
        assertThat(mv.kind()).isEqualTo("macvlan");
        assertThat(mv.mtu()).isEqualTo(1400);
        assertThat(mv.mac()).isEqualTo(MAC1);
        assertThat(mv.group()).isEqualTo(2);
        assertThat(mv.adminUp()).isTrue();
        assertThat(mv.linkIndex()).isEqualTo(info(ns, "p0").index());
        assertThat(((MacvlanSpec) mv.details()).mode()).isEqualTo(MacvlanMode.BRIDGE);
        // its lower device is down: no carrier
        eventually(() -> assertThat(info(ns, "mv0").operState()).isEqualTo(OperState.LOWERLAYERDOWN));
        // deleting the lower device takes the macvlan with it
        ns.link("p0").delete();
        assertThat(ns.findLink("mv0")).isEmpty();
    }

    @Test
    void macvlanBornInAnotherNamespace() {
        Netlib a = newHost();
        Namespace b = newNamespace();
        a.veth("p0").peer("p1").create();
        a.macvlan("mv0").parent("p0").namespace(b).create();
        assertThat(a.findLink("mv0")).isEmpty();
        LinkInfo mv = info(host.in(b), "mv0");
        assertThat(mv.linkIndex()).isEqualTo(info(a, "p0").index());
        assertThat(mv.linkNetnsId()).isNotNegative();
    }

    @Test
    void dummyWithEveryAttribute() {
        Netlib ns = newHost();
        try {
            ns.dummy("d0").mtu(9000).mac(MAC1).group(9).txQueueLength(10).up().create();
        } catch (NotSupportedException e) {
            Assumptions.abort("this kernel has no dummy driver (CONFIG_DUMMY): " + e.getMessage());
        }
        LinkInfo d = info(ns, "d0");
        assertThat(d.kind()).isEqualTo("dummy");
        assertThat(d.mtu()).isEqualTo(9000);
        assertThat(d.mac()).isEqualTo(MAC1);
        assertThat(d.group()).isEqualTo(9);
        assertThat(d.txQueueLength()).isEqualTo(10);
        assertThat(d.adminUp()).isTrue();
    }

    @Test
    void vethPeerBornInAnotherNamespace() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        Netlib inA = host.in(a);
        Netlib inB = host.in(b);
        var pair = inA.veth("h0").up().peer("eth0", p -> p.namespace(b).mtu(1400).mac(MAC2)).create();
        pair.peer().up();
        assertThat(inA.findLink("eth0")).isEmpty();
        LinkInfo h0 = info(inA, "h0");
        LinkInfo eth0 = info(inB, "eth0");
        assertThat(pair.peer().info()).isEqualTo(eth0);
        assertThat(eth0.mtu()).isEqualTo(1400);
        assertThat(eth0.mac()).isEqualTo(MAC2);
        assertThat(eth0.linkIndex()).isEqualTo(h0.index());
        assertThat(h0.linkIndex()).isEqualTo(eth0.index());
        assertThat(eth0.linkNetnsId()).isNotNegative().isEqualTo(backend.namespaceId(b.ref(), a.ref()));
        assertThat(h0.linkNetnsId()).isNotNegative().isEqualTo(backend.namespaceId(a.ref(), b.ref()));
        assertThat(eth0.displayName()).isEqualTo("eth0@if" + h0.index());
        eventually(() -> assertThat(info(inB, "eth0").operState()).isEqualTo(OperState.UP));
    }

    @Test
    void sameNameInTwoNamespacesIsFine() {
        Netlib a = newHost();
        Netlib b = newHost();
        a.bridge("br0").create();
        b.bridge("br0").create();
        assertThat(a.findLink("br0")).isPresent();
        assertThat(b.findLink("br0")).isPresent();
    }

    @Test
    void duplicateNameFailsWithEexist() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        assertThatThrownBy(() -> ns.bridge("br0").create()).isInstanceOf(AlreadyExistsException.class);
        assertErrno("EEXIST", () -> ns.veth("br0").peer("x1").create());
        assertThat(ns.findLink("x1")).as("the peer of a refused veth").isEmpty();
        assertErrno("EEXIST", () -> ns.veth("v0").peer("br0").create());
        assertThat(ns.findLink("v0")).as("a veth whose peer name was taken").isEmpty();
        assertThat(ns.links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "br0");
    }

    @Test
    void vethPeerNameTakenInTheOtherNamespace() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(b).bridge("eth0").create();
        assertErrno("EEXIST", () -> host.in(a).veth("h0").peer("eth0", p -> p.namespace(b)).create());
        assertThat(host.in(a).findLink("h0")).isEmpty();
    }

    @Test
    void missingLinksAreNotFound() {
        Netlib ns = newHost();
        assertThatThrownBy(() -> ns.link("nope")).isInstanceOf(NotFoundException.class);
        assertThat(ns.findLink("nope")).isEmpty();
        assertErrno("ENODEV", () -> backend.apply(ns.namespace().ref(), new DeleteLink("nope")));
        assertErrno("ENODEV", () -> backend.apply(ns.namespace().ref(), SetLink.of("nope", LinkAttributes.NONE.withUp(true))));
        KernelException e = assertErrno("ENODEV", () -> backend.apply(ns.namespace().ref(), new DeleteLink("nope")));
        assertThat(e).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingOneVethEndDeletesItsPeerWhereverItIs() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(a).veth("h0").peer("eth0", p -> p.namespace(b)).create();
        host.in(a).veth("h1").peer("h2").create();
        host.in(b).link("eth0").delete();
        assertThat(host.in(a).findLink("h0")).isEmpty();
        host.in(a).link("h1").delete();
        assertThat(host.in(a).links()).extracting(LinkInfo::name).containsExactly("lo");
    }

    @Test
    void deletingANamespaceDestroysItsLinksAndTheirPeersElsewhere() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(a).veth("h0").peer("eth0", p -> p.namespace(b)).create();
        host.in(a).veth("h1").peer("eth1", p -> p.namespace(b)).create();
        String name = b.name().orElseThrow();
        b.delete();
        assertThat(host.namespaces().list()).doesNotContain(name);
        // the kernel destroys a namespace asynchronously (cleanup_net runs from a workqueue)
        eventually(() -> assertThat(host.in(a).links()).extracting(LinkInfo::name).containsExactly("lo"));
    }

    @Test
    void deletingALinkGroupTakesPeersInOtherNamespaces() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(a).veth("h0").group(42).peer("eth0", p -> p.namespace(b)).create();
        host.in(a).veth("h1").group(42).peer("eth1", p -> p.namespace(b)).create();
        host.in(a).veth("h2").peer("eth2", p -> p.namespace(b)).create();
        host.in(a).deleteLinkGroup(42);
        assertThat(host.in(a).links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "h2");
        assertThat(host.in(b).links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "eth2");
        assertErrno("ENODEV", () -> host.in(a).deleteLinkGroup(42));
    }

    @Test
    void renameKeepsTheIndex() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        int index = info(ns, "v0").index();
        ns.link("v0").rename("eth5");
        assertThat(ns.findLink("v0")).isEmpty();
        assertThat(info(ns, "eth5").index()).isEqualTo(index);
        assertThat(info(ns, "v1").linkIndex()).isEqualTo(index);
        assertThatThrownBy(() -> ns.link("eth5").rename("v1")).isInstanceOf(AlreadyExistsException.class);
        assertThat(ns.findLink("eth5")).isPresent();
    }

    /** Linux 6.2 renames an up link; older kernels refuse with EBUSY and keep the name. */
    @Test
    void renameAnUpLink() {
        Netlib ns = newHost();
        ns.veth("v0").up().peer("v1").create();
        try {
            ns.link("v0").rename("v9");
            assertThat(info(ns, "v9").adminUp()).isTrue();
            assertThat(ns.findLink("v0")).isEmpty();
        } catch (dev.netlib.error.BusyException e) {
            assertThat(ns.findLink("v0")).isPresent();
        }
    }

    @Test
    void moveToAnotherNamespace() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        Netlib inA = host.in(a);
        Netlib inB = host.in(b);
        inA.veth("v0").peer("v1").create();
        inA.link("v0").moveTo(b);
        assertThat(inA.findLink("v0")).isEmpty();
        LinkInfo moved = info(inB, "v0");
        assertThat(moved.adminUp()).isFalse();
        assertThat(moved.linkIndex()).isEqualTo(info(inA, "v1").index());
        assertThat(moved.linkNetnsId()).isNotNegative();
        assertThat(info(inA, "v1").linkIndex()).isEqualTo(moved.index());
        assertThat(info(inA, "v1").linkNetnsId()).isNotNegative();
        // move back under another name, in one request
        inB.link("v0").moveTo(a, "v2");
        assertThat(inB.findLink("v0")).isEmpty();
        assertThat(info(inA, "v2").linkIndex()).isEqualTo(info(inA, "v1").index());
        assertThat(info(inA, "v1").linkNetnsId()).isEqualTo(-1);
    }

    @Test
    void moveIntoANamespaceThatHasTheNameFailsWithEexist() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(a).veth("v0").peer("v1").create();
        host.in(b).veth("v0").peer("x1").create();
        assertThatThrownBy(() -> host.in(a).link("v0").moveTo(b)).isInstanceOf(AlreadyExistsException.class);
        assertThat(host.in(a).findLink("v0")).isPresent();
        assertThat(info(host.in(b), "v0").linkIndex()).isEqualTo(info(host.in(b), "x1").index());
    }

    @Test
    void aBridgeCannotChangeNamespace() {
        Namespace a = newNamespace();
        Namespace b = newNamespace();
        host.in(a).bridge("br0").create();
        assertErrno("EINVAL", () -> host.in(a).link("br0").moveTo(b));
        assertThat(host.in(a).findLink("br0")).isPresent();
    }

    @Test
    void mtuOutsideTheDeviceRangeFailsWithEinval() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        ns.link("v0").mtu(65535);
        assertThat(info(ns, "v0").mtu()).isEqualTo(65535);
        ns.link("v0").mtu(68);
        assertThat(info(ns, "v0").mtu()).isEqualTo(68);
        KernelException high = assertErrno("EINVAL", () -> ns.link("v0").mtu(65536));
        assertThat(high.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("mtu greater than device maximum"));
        KernelException low = assertErrno("EINVAL", () -> ns.link("v0").mtu(67));
        assertThat(low.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("mtu less than device minimum"));
        assertThat(info(ns, "v0").mtu()).isEqualTo(68);
        ns.bridge("br0").create();
        assertErrno("EINVAL", () -> ns.link("br0").mtu(65536));
    }

    @Test
    void enslavingToABridgeAndReleasing() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        ns.veth("v0").peer("v1").create();
        ns.link("v0").master("br0");
        LinkInfo v0 = info(ns, "v0");
        assertThat(v0.masterName()).isEqualTo("br0");
        assertThat(v0.masterIndex()).isEqualTo(info(ns, "br0").index());
        ns.link("v0").noMaster();
        assertThat(info(ns, "v0").master()).isEmpty();
        assertThat(info(ns, "v0").masterIndex()).isZero();
        // deleting the bridge frees its ports
        ns.link("v0").master("br0");
        ns.bridge("br9").create();
        ns.veth("v4").master("br9").peer("v5").create();
        ns.link("br9").delete();
        assertThat(info(ns, "v4").masterIndex()).isZero();
        // enslaved at creation, in the same request
        ns.veth("v2").master("br0").peer("v3").create();
        assertThat(info(ns, "v2").masterName()).isEqualTo("br0");
    }

    @Test
    void bridgePortFlagsAreReadBack() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        ns.veth("v0").peer("v1").create();
        assertThat(info(ns, "v0").bridgePort()).as("no port yet").isNull();
        assertThatThrownBy(() -> ns.link("v0").portLearning(false)).as("bridge_slave data needs a master (rtnl_newlink())")
                .isInstanceOf(NotSupportedException.class);
        ns.link("v0").master("br0");
        assertThat(info(ns, "v0").bridgePort()).as("a new port learns, no hairpin (new_nbp())").isEqualTo(new BridgePortInfo(false, true));
        assertThat(info(ns, "br0").bridgePort()).as("the bridge itself is no port").isNull();
        ns.link("v0").portLearning(false);
        assertThat(info(ns, "v0").bridgePort()).isEqualTo(new BridgePortInfo(false, false));
        // given at creation: a backend sends them once the link is a port
        ns.veth("v2").master("br0").hairpin(true).portLearning(false).peer("v3").create();
        assertThat(info(ns, "v2").bridgePort()).isEqualTo(new BridgePortInfo(true, false));
        assertThat(ns.links()).filteredOn(l -> l.name().equals("v2")).singleElement().extracting(LinkInfo::bridgePort)
                .as("the same in a full dump").isEqualTo(new BridgePortInfo(true, false));
        ns.link("v0").noMaster();
        assertThat(info(ns, "v0").bridgePort()).as("released").isNull();
        ns.link("v0").master("br0");
        assertThat(info(ns, "v0").bridgePort()).as("a port made again starts from the defaults").isEqualTo(new BridgePortInfo(false, true));
    }

    @Test
    void enslavingToANonBridgeFails() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        assertThatThrownBy(() -> ns.link("v0").master("v1")).isInstanceOf(NotSupportedException.class);
        assertThat(info(ns, "v0").masterIndex()).isZero();
        assertErrno("ENODEV", () -> ns.link("v0").master("nobridge"));
    }

    @Test
    void upDownMacAndGroupOfAnExistingLink() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        ns.link("v0").mac(MAC1).group(12).up();
        LinkInfo v0 = info(ns, "v0");
        assertThat(v0.mac()).isEqualTo(MAC1);
        assertThat(v0.group()).isEqualTo(12);
        assertThat(v0.adminUp()).isTrue();
        ns.link("v0").down();
        assertThat(info(ns, "v0").adminUp()).isFalse();
    }

    @Test
    void listingShowsEveryLinkWithItsKind() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        ns.veth("v0").peer("v1").create();
        assertThat(ns.links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "br0", "v0", "v1");
        assertThat(ns.links()).filteredOn(l -> l.name().equals("lo")).extracting(LinkInfo::kind).containsOnlyNulls();
        assertThat(ns.links()).extracting(LinkInfo::index).doesNotHaveDuplicates();
    }
}
