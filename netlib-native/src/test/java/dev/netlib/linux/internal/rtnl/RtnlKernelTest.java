package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netlink.NetlinkConstants;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.SetLink;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kernel test (root): links made with {@link Rtnl} inside throwaway namespaces, read back through
 * Rtnl and cross-checked with {@code ip -d -j link show}.
 */
class RtnlKernelTest {
    private static final LinkAttributes NONE = LinkAttributes.NONE;

    private ThrowawayNetns a;
    private ThrowawayNetns b;
    private Rtnl rtnlA;
    private Rtnl rtnlB;
    private NetnsRef refB;

    private record Ref(String label, long inode) implements NetnsRef {
        @Override
        public Optional<String> name() {
            return Optional.of(label);
        }

        @Override
        public String describe() {
            return "netns " + label;
        }
    }

    @BeforeEach
    void setUp() {
        ThrowawayNetns.assumeRoot();
        a = ThrowawayNetns.create("nll", "rtnl-a");
        b = ThrowawayNetns.create("nll", "rtnl-b");
        refB = new Ref(b.name(), 0);
        Map<NetnsRef, Integer> fds = Map.of(refB, b.fd());
        rtnlA = new Rtnl(a.openSocket(NetlinkConstants.NETLINK_ROUTE), ns -> fds.get(ns));
        rtnlB = new Rtnl(b.openSocket(NetlinkConstants.NETLINK_ROUTE), ns -> {
            throw new AssertionError("no namespace expected");
        });
    }

    @AfterEach
    void tearDown() {
        if (rtnlA != null) {
            rtnlA.close();
        }
        if (rtnlB != null) {
            rtnlB.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** The JSON object of one link from {@code ip -d -j link show dev NAME}. */
    private static String ipJson(ThrowawayNetns ns, String dev) {
        return ns.ip("-d", "-j", "link", "show", "dev", dev);
    }

    private static String jsonValue(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\"[^\"]*\"|[^,}\\]]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", key, json).isTrue();
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    @Test
    void createBridgeVethVxlanMacvlanInOneBatchAndReadBack() throws Exception {
        MacAddress peerMac = MacAddress.parse("02:00:00:00:aa:01");
        rtnlA.apply(List.of(
                new CreateLink("br0", NONE.withMtu(1400).withUp(true), new BridgeSpec(true, null)),
                // master br0 is made by the change above: Rtnl sends it first, then resolves
                new CreateLink("veth0", NONE.withMtu(1400).withMaster("br0").withUp(true),
                        new VethSpec("eth0", NONE.withMtu(1400).withMac(peerMac).withNetns(refB).withUp(true))),
                new CreateLink("vx0", NONE, new VxlanSpec(42, ip("10.0.0.1"), ip("10.0.0.2"), null, 4789, "br0",
                        false, null, null, null, 64)),
                new CreateLink("mv0", NONE, new MacvlanSpec("br0", MacvlanMode.BRIDGE))));

        Map<String, LinkInfo> links = rtnlA.links().stream().collect(Collectors.toMap(LinkInfo::name, l -> l));
        assertThat(links.keySet()).containsExactlyInAnyOrder("lo", "br0", "veth0", "vx0", "mv0");

        LinkInfo br = links.get("br0");
        assertThat(br.kind()).isEqualTo("bridge");
        assertThat(br.mtu()).isEqualTo(1400);
        assertThat(br.adminUp()).isTrue();
        assertThat(((BridgeSpec) br.details()).stp()).isTrue();
        String brJson = ipJson(a, "br0");
        assertThat(jsonValue(brJson, "ifindex")).isEqualTo(Integer.toString(br.index()));
        assertThat(jsonValue(brJson, "address")).isEqualTo(br.mac().toString());
        assertThat(jsonValue(brJson, "stp_state")).isEqualTo("1");

        LinkInfo veth = links.get("veth0");
        assertThat(veth.isVeth()).isTrue();
        assertThat(veth.masterName()).isEqualTo("br0");
        assertThat(veth.masterIndex()).isEqualTo(br.index());
        assertThat(veth.mtu()).isEqualTo(1400);
        assertThat(veth.linkNetnsId()).isGreaterThanOrEqualTo(0);
        String vethJson = ipJson(a, "veth0");
        assertThat(jsonValue(vethJson, "master")).isEqualTo("br0");
        assertThat(jsonValue(vethJson, "link_netnsid")).isEqualTo(Integer.toString(veth.linkNetnsId()));
        assertThat(jsonValue(vethJson, "link_index")).isEqualTo(Integer.toString(veth.linkIndex()));
        assertThat(rtnlA.namespaceId(b.fd())).isEqualTo(veth.linkNetnsId());

        // the peer was born in B with its final name, MAC, MTU and state
        LinkInfo peer = rtnlB.link("eth0").orElseThrow();
        assertThat(peer.mac()).isEqualTo(peerMac);
        assertThat(peer.mtu()).isEqualTo(1400);
        assertThat(peer.adminUp()).isTrue();
        assertThat(peer.index()).isEqualTo(veth.linkIndex());
        assertThat(peer.linkIndex()).isEqualTo(veth.index());
        assertThat(jsonValue(ipJson(b, "eth0"), "address")).isEqualTo(peerMac.toString());

        VxlanSpec vx = (VxlanSpec) links.get("vx0").details();
        assertThat(vx.vni()).isEqualTo(42);
        assertThat(vx.port()).isEqualTo(4789);
        assertThat(vx.local()).isEqualTo(ip("10.0.0.1"));
        assertThat(vx.remote()).isEqualTo(ip("10.0.0.2"));
        assertThat(vx.device()).isEqualTo("br0");
        assertThat(vx.learning()).isFalse();
        assertThat(vx.ttl()).isEqualTo(64);
        String vxJson = ipJson(a, "vx0");
        assertThat(jsonValue(vxJson, "port")).isEqualTo("4789");
        assertThat(jsonValue(vxJson, "id")).isEqualTo("42");
        assertThat(jsonValue(vxJson, "learning")).isEqualTo("false");

        LinkInfo mv = links.get("mv0");
        assertThat(mv.details()).isEqualTo(new MacvlanSpec("br0", MacvlanMode.BRIDGE));
        assertThat(mv.linkIndex()).isEqualTo(br.index());
        assertThat(jsonValue(ipJson(a, "mv0"), "mode")).isEqualTo("bridge");

        // link(name) names the master and the VXLAN device too
        assertThat(rtnlA.link("veth0").orElseThrow().masterName()).isEqualTo("br0");
        assertThat(((VxlanSpec) rtnlA.link("vx0").orElseThrow().details()).device()).isEqualTo("br0");
        assertThat(rtnlA.link("nll-none")).isEmpty();

        // deleting one end deletes the peer in B
        rtnlA.apply(List.of(new DeleteLink("veth0")));
        assertThat(rtnlB.link("eth0")).isEmpty();
    }

    @Test
    void everyChangeIsAttemptedAndTheFirstFailureReported() {
        rtnlA.apply(List.of(new CreateLink("br0", NONE, BridgeSpec.DEFAULT)));
        assertThatThrownBy(() -> rtnlA.apply(List.of(
                new CreateLink("br1", NONE, BridgeSpec.DEFAULT),
                new CreateLink("br0", NONE, BridgeSpec.DEFAULT), // EEXIST
                SetLink.of("nll-missing", NONE.withUp(true)),    // ENODEV
                new CreateLink("br2", NONE, BridgeSpec.DEFAULT))))
                .isInstanceOfSatisfying(AlreadyExistsException.class, e -> {
                    assertThat(e.batchIndex()).isEqualTo(1);
                    assertThat(e.appliedInBatch()).containsExactly(0, 3);
                    assertThat(e.operation()).isEqualTo("ip link add name br0 type bridge");
                });
        assertThat(rtnlA.links()).extracting(LinkInfo::name).contains("br1", "br2");
        assertThatThrownBy(() -> rtnlA.apply(List.of(new DeleteLink("nll-missing"))))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void invalidInputIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> rtnlA.apply(List.of(
                new CreateLink("br0", NONE, BridgeSpec.DEFAULT),
                new CreateLink("va", NONE, new VethSpec(null, NONE.withUp(true))))))
                .isInstanceOf(dev.netlib.error.InvalidConfigException.class);
        assertThat(rtnlA.link("br0")).isEmpty();
    }

    @Test
    void invalidInputIsRefusedBeforeAnythingIsSentWhenTheBatchMustSendInItsMiddle() {
        // the delete makes the next change wait for it (a known index may go with it), so the batch
        // sends its first part before it encodes the rest: the rest's input must be checked first
        assertThatThrownBy(() -> rtnlA.apply(List.of(
                new CreateLink("br0", NONE, BridgeSpec.DEFAULT),
                new CreateLink("br1", NONE, BridgeSpec.DEFAULT),
                new DeleteLink("br1"),
                SetLink.of("br0", NONE.withUp(true)),
                new CreateLink("va", NONE, new VethSpec(null, NONE.withUp(true))))))
                .isInstanceOf(dev.netlib.error.InvalidConfigException.class);
        assertThat(rtnlA.link("br0")).isEmpty();
        // the same batch without the bad change applies every change
        rtnlA.apply(List.of(
                new CreateLink("br0", NONE, BridgeSpec.DEFAULT),
                new CreateLink("br1", NONE, BridgeSpec.DEFAULT),
                new DeleteLink("br1"),
                SetLink.of("br0", NONE.withUp(true))));
        assertThat(rtnlA.link("br0")).hasValueSatisfying(l -> assertThat(l.adminUp()).isTrue());
        assertThat(rtnlA.link("br1")).isEmpty();
    }

    @Test
    void aBatchRefusedAsBadInputGivesNoNamespaceAnId() {
        rtnlB.apply(List.of(new CreateLink("brB", NONE, BridgeSpec.DEFAULT)));
        // the peer's master is in B: encoding the veth asks A's kernel for B's namespace id
        // (RTM_NEWNSID when there is none), which would stay behind the refused batch
        assertThatThrownBy(() -> rtnlA.apply(List.of(
                new CreateLink("veth1", NONE, new VethSpec("eth1", NONE.withNetns(refB).withMaster("brB"))),
                new CreateLink("va", NONE, new VethSpec(null, NONE.withUp(true))))))
                .isInstanceOf(dev.netlib.error.InvalidConfigException.class);
        assertThat(a.ip("netns", "list-id")).as("ip netns list-id in A").doesNotContain("nsid");
        assertThat(rtnlB.link("eth1")).isEmpty();
    }

    @Test
    void kernelExtendedAckTextReachesTheException() {
        assertThatThrownBy(() -> rtnlA.apply(List.of(new CreateLink("vx0", NONE,
                new VxlanSpec(1 << 24, null, null, null, null, null, null, null, null, null, null)))))
                .isInstanceOfSatisfying(KernelException.class, e -> {
                    assertThat(e.kernelMessage()).isPresent();
                    assertThat(e.kernelMessage().get()).containsIgnoringCase("VXLAN ID")
                            .endsWith("(at IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID)");
                    assertThat(e.getMessage()).contains("ip link add name vx0 type vxlan id 16777216");
                    assertThat(e.batchIndex()).isZero();
                    assertThat(e.appliedInBatch()).isEmpty();
                });
    }

    @Test
    void blamedAttributeIsNamed() {
        assertThatThrownBy(() -> rtnlA.apply(List.of(new CreateLink("va", NONE,
                new VethSpec("nll-peer-name-far-too-long", NONE)))))
                .isInstanceOfSatisfying(KernelException.class, e ->
                        assertThat(e.kernelMessage().orElseThrow())
                                .endsWith("(at IFLA_LINKINFO/IFLA_INFO_DATA/VETH_INFO_PEER/IFLA_IFNAME)"));
    }

    @Test
    void aCreateWhoseFollowUpFailsIsUndone() {
        rtnlA.apply(List.of(new CreateLink("x0", NONE, new VethSpec("x1", NONE))));
        // the create succeeds; the follow-up that enslaves the peer to x0 (a veth, no master) fails
        assertThatThrownBy(() -> rtnlA.apply(List.of(
                new CreateLink("va", NONE, new VethSpec("vb", NONE.withMaster("x0"))))))
                .isInstanceOf(KernelException.class);
        assertThat(rtnlA.link("va")).as("the half-made veth is deleted again").isEmpty();
        assertThat(rtnlA.link("vb")).isEmpty();
        assertThat(rtnlA.links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "x0", "x1");
        // and the names are free for a create that works
        rtnlA.apply(List.of(new CreateLink("va", NONE, new VethSpec("vb", NONE))));
        assertThat(rtnlA.link("vb")).isPresent();
    }

    @Test
    void setRenameNomasterGroupDeleteAndAddrGenMode() {
        rtnlA.apply(List.of(
                new CreateLink("br0", NONE, BridgeSpec.DEFAULT),
                new CreateLink("br1", NONE.withAddrGenMode(Ipv6AddrGenMode.NONE).withUp(true), BridgeSpec.DEFAULT),
                // both ends here; the peer's master is a follow-up request
                new CreateLink("va", NONE.withGroup(9), new VethSpec("vb", NONE.withMaster("br0").withGroup(9).withUp(true)))));
        LinkInfo br1 = rtnlA.link("br1").orElseThrow();
        assertThat(br1.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
        assertThat(br1.adminUp()).isTrue();
        assertThat(jsonValue(ipJson(a, "br1"), "inet6_addr_gen_mode")).isEqualTo("none");
        LinkInfo vb = rtnlA.link("vb").orElseThrow();
        assertThat(vb.masterName()).isEqualTo("br0");
        assertThat(vb.adminUp()).isTrue();
        assertThat(((VethSpec) vb.details()).peerName()).isEqualTo("va");

        rtnlA.apply(List.of(
                new SetLink("vb", NONE, null, true),
                new SetLink("br1", NONE.withUp(false).withMtu(1300), "br9", false)));
        assertThat(rtnlA.link("vb").orElseThrow().masterIndex()).isZero();
        LinkInfo br9 = rtnlA.link("br9").orElseThrow();
        assertThat(br9.adminUp()).isFalse();
        assertThat(br9.mtu()).isEqualTo(1300);
        assertThat(rtnlA.link("br1")).isEmpty();

        rtnlA.apply(List.of(new DeleteLinkGroup(9)));
        assertThat(rtnlA.links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "br0", "br9");
    }

    @Test
    void createThenUseInTheSameBatchAcrossRenames() {
        rtnlA.apply(List.of(
                new CreateLink("br0", NONE, BridgeSpec.DEFAULT),
                new SetLink("br0", NONE, "brx", false),
                new CreateLink("va", NONE.withMaster("brx"), new VethSpec("vb", NONE)),
                new DeleteLink("vb"),
                new CreateLink("vb", NONE, new VethSpec("vc", NONE)),
                SetLink.of("vb", NONE.withMaster("brx"))));
        assertThat(rtnlA.link("va")).isEmpty();
        assertThat(rtnlA.link("vb").orElseThrow().masterName()).isEqualTo("brx");
    }

    @Test
    void foreignPeerWithMasterThereAndAddrGenModeSplit() {
        rtnlB.apply(List.of(new CreateLink("brB", NONE.withUp(true), BridgeSpec.DEFAULT)));
        rtnlA.apply(List.of(new CreateLink("br0", NONE.withUp(true), BridgeSpec.DEFAULT),
                new CreateLink("veth1", NONE.withMaster("br0").withUp(true),
                        new VethSpec("eth1", NONE.withNetns(refB).withMaster("brB").withUp(true)))));
        LinkInfo eth1 = rtnlB.link("eth1").orElseThrow();
        assertThat(eth1.masterName()).isEqualTo("brB");
        assertThat(eth1.adminUp()).isTrue();
        LinkInfo veth1 = rtnlA.link("veth1").orElseThrow();
        assertThat(veth1.masterName()).isEqualTo("br0");
        assertThat(veth1.adminUp()).isTrue();
        assertThat(veth1.operState().name()).isEqualTo("UP"); // both ends up: carrier
        assertThat(jsonValue(ipJson(b, "eth1"), "master")).isEqualTo("brB");

        CreateLink quiet = new CreateLink("veth2", NONE,
                new VethSpec("eth2", NONE.withNetns(refB).withAddrGenMode(Ipv6AddrGenMode.NONE).withUp(true)));
        rtnlA.apply(List.of(LinkEncoder.withoutPeerFollowUp(quiet)));
        rtnlB.apply(List.of(LinkEncoder.peerFollowUp(quiet).orElseThrow()));
        LinkInfo eth2 = rtnlB.link("eth2").orElseThrow();
        assertThat(eth2.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
        assertThat(eth2.adminUp()).isTrue();
    }

    @Test
    void dummyWhenTheKernelHasTheDriver() {
        try {
            rtnlA.apply(List.of(new CreateLink("d0", NONE.withMtu(1280).withUp(true), new DummySpec())));
        } catch (KernelException e) {
            org.junit.jupiter.api.Assumptions.assumeFalse(e.errno().name().equals("EOPNOTSUPP"),
                    "this kernel has no dummy driver (CONFIG_DUMMY off): " + e.getMessage());
            throw e;
        }
        LinkInfo d = rtnlA.link("d0").orElseThrow();
        assertThat(d.kind()).isEqualTo("dummy");
        assertThat(d.details()).isEqualTo(new DummySpec());
        assertThat(d.mtu()).isEqualTo(1280);
        assertThat(jsonValue(ipJson(a, "d0"), "mtu")).isEqualTo("1280");
    }

    @Test
    void concurrentAppliesOnOneRtnl() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        rtnlA.apply(List.of(new CreateLink("t" + id + "x" + i, NONE, BridgeSpec.DEFAULT)));
                        if (i % 2 == 1) {
                            rtnlA.apply(List.of(new DeleteLink("t" + id + "x" + i)));
                        }
                        rtnlA.links();
                    }
                    return null;
                }));
            }
            for (var f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rtnlA.links()).hasSize(1 + 8 * 5);
    }

    @Test
    void namespaceIdIsMinusOneWithoutRelation() {
        assertThat(rtnlA.namespaceId(b.fd())).isEqualTo(-1);
    }

    @Test
    void manyEndpointsInOneApply() {
        List<dev.netlib.spi.change.KernelChange> changes = new java.util.ArrayList<>();
        changes.add(new CreateLink("br0", NONE.withUp(true), BridgeSpec.DEFAULT));
        int pairs = Integer.getInteger("nll.pairs", 100);
        for (int i = 0; i < pairs; i++) {
            changes.add(new CreateLink("h" + i, NONE.withMaster("br0").withUp(true).withGroup(5),
                    new VethSpec("c" + i, NONE.withNetns(refB).withUp(true))));
        }
        long t0 = System.nanoTime();
        rtnlA.apply(changes);
        long t1 = System.nanoTime();
        assertThat(rtnlA.links()).hasSize(pairs + 2);
        assertThat(rtnlB.links()).hasSize(pairs + 1);
        rtnlA.apply(List.of(new DeleteLinkGroup(5)));
        long t2 = System.nanoTime();
        assertThat(rtnlB.links()).hasSize(1);
        System.out.printf("%d veth pairs (peer born in another netns, master, up): create %.1f ms, group delete %.1f ms%n",
                pairs, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }
}
