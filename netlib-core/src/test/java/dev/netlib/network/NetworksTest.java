package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.value.IpAddresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network model on an in-memory kernel: S1's steps, modes, macvlan, restart and reconcile. */
class NetworksTest {
    @TempDir
    Path etc;
    World w;
    Networks nets;

    @BeforeEach
    void setUp() {
        w = new World(etc);
        nets = w.networks;
    }

    private Netlib in(Namespace ns) {
        return w.root.in(ns);
    }

    @Test
    void defaultNetworkIsDocker0With172_17AndAddressesInOrderWithDerivedMacs() {
        Namespace box1 = w.box("box1");
        Namespace box2 = w.box("box2");
        Endpoint e1 = nets.connect("bridge", box1);
        Endpoint e2 = nets.connect("bridge", box2);

        NetworkConfig n = nets.network("bridge").config();
        assertThat(n.device()).isEqualTo("docker0");
        assertThat(n.subnet()).hasToString("172.17.0.0/16");
        assertThat(IpAddresses.format(n.gateway())).isEqualTo("172.17.0.1");
        assertThat(n.defaultNetwork()).isTrue();
        assertThat(w.host.addresses().list("docker0")).filteredOn(a -> a.address().isIpv4()).extracting(a -> a.address().toString()).containsExactly("172.17.0.1/16");
        assertThat(w.host.findLink("docker0")).get().extracting(LinkInfo::adminUp).isEqualTo(true);

        assertThat(e1.ip()).isEqualTo("172.17.0.2");
        assertThat(e2.ip()).isEqualTo("172.17.0.3");
        assertThat(e1.mac()).hasToString("02:42:ac:11:00:02");
        assertThat(e1.interfaceName()).isEqualTo("eth0");
        // inside: eth0 up with the MAC and address, lo up, default route via the gateway
        LinkInfo eth0 = in(box1).findLink("eth0").orElseThrow();
        assertThat(eth0.mac()).hasToString("02:42:ac:11:00:02");
        assertThat(eth0.adminUp()).isTrue();
        assertThat(in(box1).findLink("lo").orElseThrow().adminUp()).isTrue();
        assertThat(in(box1).addresses().list("eth0")).filteredOn(a -> a.address().isIpv4()).extracting(a -> a.address().toString()).containsExactly("172.17.0.2/16");
        assertThat(in(box1).routes().defaults()).extracting(r -> IpAddresses.format(r.gateway())).containsExactly("172.17.0.1");
        // host end: a veth on docker0, up
        LinkInfo hostEnd = w.host.findLink(e1.config().hostIfName()).orElseThrow();
        assertThat(hostEnd.masterName()).isEqualTo("docker0");
        assertThat(hostEnd.adminUp()).isTrue();
        assertThat(e1.config().hostIfName()).matches("veth[0-9a-f]{7}");
        // masquerade like Docker's: ip saddr 172.17.0.0/16 oifname != "docker0" masquerade
        assertThat(w.host.nat().list()).contains(NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build());
        assertThat(w.host.sysctls().get("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void connectBringsLoUpAndReadsTheContainerOnlyOnce() {
        nets.create("n1").subnet("10.9.0.0/24").create();
        Namespace fresh = w.root.namespaces().create("fresh"); // lo down, as in a new namespace
        assertThat(in(fresh).findLink("lo").orElseThrow().adminUp()).isFalse();
        w.kernel.resetCounts();
        nets.connect("n1", fresh);
        int changes = w.kernel.changeCount();
        int requests = w.kernel.requestCount();
        assertThat(in(fresh).findLink("lo").orElseThrow().adminUp()).isTrue();
        // changes: the veth, then lo up, the address and the default route in one batch; reads: one
        // link dump inside (the free ethN and lo's state together) and one route dump inside
        assertThat(changes).isEqualTo(4);
        assertThat(requests).isEqualTo(6);
    }

    @Test
    void userNetworksTakeTheNextPoolOrTheGivenSubnetAndAreIsolatedFromEachOther() {
        nets.defaultNetwork();
        Network net1 = nets.create("my_net1").create();
        Network net2 = nets.create("my_net2").subnet("172.20.18.0/24").create();
        assertThat(net1.config().subnet()).hasToString("172.18.0.0/16");
        assertThat(net1.config().userSubnet()).isFalse();
        assertThat(net1.config().device()).isEqualTo("br-" + net1.id().substring(0, 12));
        assertThat(net2.config().subnet()).hasToString("172.20.18.0/24");
        assertThat(net2.config().userSubnet()).isTrue();
        assertThat(nets.create("my_net3").create().config().subnet()).hasToString("172.19.0.0/16");
        assertThat(nets.list()).extracting(Network::name).containsExactly("bridge", "my_net1", "my_net2", "my_net3");
        List<NatRule> rules = w.host.nat().list();
        assertThat(rules).contains(NatRule.isolate(net1.config().device(), "docker0"),
                NatRule.isolate(net2.config().device(), "docker0"), NatRule.isolate(net2.config().device(), net1.config().device()));
        assertThatThrownBy(() -> nets.create("my_net1").create()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("network with name my_net1 already exists");
        assertThatThrownBy(() -> nets.create("other").subnet("172.20.0.0/16").create()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("overlaps with network my_net2");
    }

    @Test
    void staticAddressesOnlyOnUserConfiguredSubnets() {
        nets.create("my_net1").create();
        nets.create("my_net2").subnet("172.20.18.0/24").create();
        Namespace box5 = w.box("box5");
        Namespace box3 = w.box("box3");
        String before = w.state();
        assertThatThrownBy(() -> nets.endpoint("my_net1", box3).ip("172.18.0.100").connect())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("user specified IP address is supported only when connecting to networks with user configured subnets");
        assertThatThrownBy(() -> nets.endpoint("bridge", box3).ip("172.17.0.100").connect())
                .hasMessage("user specified IP address is supported only when connecting to networks with user configured subnets");
        assertThat(w.state()).isEqualTo(before);
        Endpoint e5 = nets.endpoint("my_net2", box5).ip("172.20.18.6").connect();
        assertThat(e5.ip()).isEqualTo("172.20.18.6");
        assertThat(e5.config().staticAddress()).isTrue();
        assertThatThrownBy(() -> nets.endpoint("my_net2", box3).ip("172.20.18.6").connect()).hasMessageContaining("Address already in use");
    }

    @Test
    void secondNetworkBecomesEth1WithoutTakingTheDefaultRouteAndDisconnectFreesIt() {
        nets.create("my_net1").create();
        Namespace box2 = w.box("box2");
        Namespace box3 = w.box("box3");
        nets.connect("bridge", box2);
        nets.connect("my_net1", box3);
        Endpoint eth1 = nets.connect("my_net1", box2);
        assertThat(eth1.interfaceName()).isEqualTo("eth1");
        assertThat(eth1.ip()).isEqualTo("172.18.0.3");
        assertThat(in(box2).routes().defaults()).extracting(r -> IpAddresses.format(r.gateway())).containsExactly("172.17.0.1");
        assertThat(eth1.config().defaultRoute()).isFalse();

        assertThatThrownBy(() -> nets.connect("my_net1", box2)).hasMessage("endpoint with name box2 already exists in network my_net1");

        eth1.disconnect();
        assertThat(in(box2).findLink("eth1")).isEmpty();
        assertThat(w.host.findLink(eth1.config().hostIfName())).isEmpty();
        assertThat(nets.findEndpoint("my_net1", "box2")).isEmpty();
        assertThat(w.networks.state().pool("my_net1").ownerOf(eth1.address())).isEmpty();
        Namespace box4 = w.box("box4");
        // sequential allocation, as Docker's IPAM: the address just freed is not handed out again at once
        assertThat(nets.connect("my_net1", box4).ip()).isEqualTo("172.18.0.4");
    }

    @Test
    void disconnectingTheDefaultRouteNetworkHandsTheRouteToTheNext() {
        nets.create("my_net1").create();
        Namespace box2 = w.box("box2");
        nets.connect("bridge", box2);
        nets.connect("my_net1", box2);
        nets.disconnect("bridge", "box2");
        assertThat(in(box2).routes().defaults()).extracting(RouteInfo::gateway).extracting(IpAddresses::format).containsExactly("172.18.0.1");
        assertThat(nets.findEndpoint("my_net1", "box2").orElseThrow().config().defaultRoute()).isTrue();
    }

    @Test
    void namesResolveOnUserNetworksOnlyAndGoToHostsFiles() throws Exception {
        nets.create("my_net1").create();
        Namespace box1 = w.box("box1");
        Namespace box2 = w.box("box2");
        Namespace box3 = w.box("box3");
        Namespace box4 = w.box("box4");
        nets.connect("bridge", box1);
        nets.connect("bridge", box2);
        Endpoint e3 = nets.connect("my_net1", box3);
        nets.endpoint("my_net1", box4).alias("db").connect();

        assertThat(nets.resolve("box1", "box2")).isEmpty(); // default network: no names, as in Docker
        assertThat(nets.resolve("box2", "box3")).isEmpty(); // not on a shared network yet
        assertThat(nets.resolve("box3", "db")).map(IpAddresses::format).contains("172.18.0.3");
        nets.connect("my_net1", box2);
        assertThat(nets.resolve("box2", "box3")).contains(e3.address());
        assertThat(nets.names("box2")).containsOnlyKeys("box3", "box4", "db");

        String hosts2 = Files.readString(etc.resolve("box2").resolve("hosts"));
        assertThat(hosts2).contains("172.18.0.2\tbox3\n").contains("172.18.0.3\tbox4 db\n").contains("\tbox2\n");
        String hosts3 = Files.readString(etc.resolve("box3").resolve("hosts"));
        assertThat(hosts3).contains("\tbox2\n"); // peers' files are rewritten when someone joins
        String hosts1 = Files.readString(etc.resolve("box1").resolve("hosts"));
        assertThat(hosts1).doesNotContain("box2");

        nets.disconnect("my_net1", "box2");
        assertThat(Files.readString(etc.resolve("box3").resolve("hosts"))).doesNotContain("box2");
        nets.disconnectAll("box1");
        assertThat(etc.resolve("box1")).doesNotExist();
    }

    @Test
    void removeFailsWhileInUseAndThenRemovesBridgeRulesAndLease() {
        Network net1 = nets.create("my_net1").create();
        nets.defaultNetwork();
        String device = net1.config().device();
        Namespace box3 = w.box("box3");
        nets.connect("my_net1", box3);
        String before = w.state();
        assertThatThrownBy(net1::remove).isInstanceOf(NetworkInUseException.class)
                .hasMessageContaining("error while removing network: network my_net1 id " + net1.id() + " has active endpoints (box3)");
        assertThat(w.state()).isEqualTo(before);
        nets.disconnect("my_net1", "box3");
        net1.remove();
        assertThat(w.host.findLink(device)).isEmpty();
        assertThat(w.host.nat().list()).noneMatch(r -> r.toString().contains(device));
        assertThat(w.store.contents().keySet()).noneMatch(k -> k.contains("my_net1"));
        assertThat(w.store.contents().getOrDefault("ipam/subnets", "")).doesNotContain("172.18.0.0");
        assertThat(nets.find("my_net1")).isEmpty();
        assertThatThrownBy(() -> nets.network("my_net1")).isInstanceOf(NetworkNotFoundException.class).hasMessage("network my_net1 not found");
        // the subnet lease is free again
        assertThat(nets.create("again").create().config().subnet()).hasToString("172.18.0.0/16");
    }

    @Test
    void inspectShowsSubnetGatewayOptionsAndEndpoints() {
        nets.create("my_net2").subnet("172.20.18.0/24").icc(false).mtu(1400).create();
        nets.endpoint("my_net2", w.box("box5")).ip("172.20.18.6").alias("web").connect();
        NetworkInspection i = nets.inspect("my_net2");
        assertThat(i.endpoints()).extracting(EndpointConfig::container).containsExactly("box5");
        assertThat(i.options()).containsEntry("com.docker.network.bridge.enable_icc", "false")
                .containsEntry("com.docker.network.driver.mtu", "1400");
        assertThat(i.render()).contains("\"Subnet\": \"172.20.18.0/24\"", "\"Gateway\": \"172.20.18.1\"",
                "\"MacAddress\": \"02:42:ac:14:12:06\"", "\"IPv4Address\": \"172.20.18.6/24\"", "\"Aliases\": [\"web\"]");
        assertThat(w.host.nat().list()).contains(NatRule.noIcc(i.config().device()));
        assertThat(w.host.findLink(i.config().device()).orElseThrow().mtu()).isEqualTo(1400);
    }

    @Test
    void internalNetworksGiveNoWayOut() {
        Network internal = nets.create("backend").internal(true).create();
        Namespace db = w.box("db");
        Endpoint e = nets.connect("backend", db);
        assertThat(e.config().defaultRoute()).isFalse();
        assertThat(in(db).routes().defaults()).isEmpty();
        assertThat(w.host.nat().list()).noneMatch(r -> r.toString().contains("masquerade") && r.toString().contains(internal.config().device()));
        // a later non-internal network gives the container its default route
        Endpoint out = nets.connect("bridge", db);
        assertThat(out.config().defaultRoute()).isTrue();
        assertThat(in(db).routes().defaults()).extracting(r -> IpAddresses.format(r.gateway())).containsExactly("172.17.0.1");
    }

    @Test
    void publishedPortsAreRulesRemovedWithTheEndpoint() {
        Namespace box1 = w.box("box1");
        Endpoint e = nets.endpoint("bridge", box1).publish("8080:80").connect();
        assertThat(w.host.nat().list()).anyMatch(r -> r.spec() instanceof dev.netlib.spi.nft.DnatRule d && d.hostPortFirst() == 8080
                && d.targetPort() == 80 && d.target().equals(e.address()));
        Endpoint e2 = e.publish("5353:53/udp");
        assertThat(e2.ports()).containsExactly("8080:80", "5353:53/udp");
        assertThat(nets.findEndpoint("bridge", "box1").orElseThrow().ports()).containsExactly("8080:80", "5353:53/udp");
        e2.unpublish("8080:80");
        assertThat(w.host.nat().list()).noneMatch(r -> r.spec() instanceof dev.netlib.spi.nft.DnatRule d && d.hostPortFirst() == 8080);
        e2.disconnect();
        assertThat(w.host.nat().list()).noneMatch(r -> r.spec() instanceof dev.netlib.spi.nft.DnatRule);
    }

    /**
     * A rule a dead process left (no record wants it) that is exactly the one a publish would add:
     * the publish is refused, as for a port another endpoint holds, instead of taking the rule as its
     * own. Taken as its own, the rule would be removed by a reconcile that had found it unwanted
     * just before (its repair does not read the records a third time), and the published port would
     * have no rule. Once reconcile has removed it, the publish goes through.
     */
    @Test
    void aPublishOfTheRuleADeadProcessLeftIsRefusedUntilReconcileRemovesIt() {
        Endpoint e = nets.connect("bridge", w.box("box1"));
        NatRule leftover = PortMapping.parse("8080:80").rule(e.address());
        w.host.nat().add(leftover);
        assertThatThrownBy(() -> e.publish("8080:80")).isInstanceOf(dev.netlib.error.InvalidConfigException.class)
                .hasMessageContaining("already published");
        assertThat(nets.findEndpoint("bridge", "box1").orElseThrow().ports()).isEmpty();
        assertThat(nets.reconcile(true).findings()).extracting(ReconcileReport.Finding::problem)
                .containsExactly("no network or endpoint wants it");
        assertThat(e.publish("8080:80").ports()).containsExactly("8080:80");
        assertThat(w.host.nat().list()).containsOnlyOnce(leftover);
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    @Test
    void modesNoneHostAndContainer() {
        Namespace none = nets.none("nlw-none");
        assertThat(in(none).links()).extracting(LinkInfo::name).containsExactly("lo");
        assertThat(in(none).findLink("lo").orElseThrow().adminUp()).isTrue();
        assertThat(nets.hostMode().inode()).isEqualTo(w.hostNs.inode());
        Namespace box1 = w.box("nlw-box1");
        nets.endpoint("bridge", box1).name("box1").connect();
        try (Namespace joined = nets.container("container:box1")) {
            assertThat(joined.inode()).isEqualTo(box1.inode());
            assertThat(w.root.in(joined).findLink("eth0")).isPresent();
        }
        try (Namespace byName = nets.container("nlw-none")) {
            assertThat(byName.inode()).isEqualTo(none.inode());
        }
        assertThatThrownBy(() -> nets.container("nothing-here")).isInstanceOf(NetworkNotFoundException.class);
    }

    @Test
    void macvlanEndpointsHangOffTheParentInsideTheContainer() {
        w.host.dummy("uplink0").up().create();
        Network lan = nets.create("lan").driver(DriverKind.MACVLAN).parent("uplink0").subnet("192.168.50.0/24").gateway("192.168.50.254").create();
        assertThat(lan.config().masquerade()).isFalse();
        Namespace box = w.box("flat1");
        Endpoint e = nets.endpoint("lan", box).ip("192.168.50.10").connect();
        assertThat(in(box).findLink("eth0").orElseThrow().kind()).isEqualTo("macvlan");
        assertThat(in(box).routes().defaults()).extracting(r -> IpAddresses.format(r.gateway())).containsExactly("192.168.50.254");
        assertThat(nets.connect("lan", w.box("flat2")).ip()).isEqualTo("192.168.50.1");
        assertThat(w.host.nat().list()).isEmpty();
        e.disconnect();
        assertThat(in(box).findLink("eth0")).isEmpty();
        assertThatThrownBy(() -> nets.create("lan2").driver(DriverKind.MACVLAN).parent("nope0").subnet("10.1.0.0/24").create())
                .hasMessageContaining("needs its parent link nope0");
    }

    @Test
    void anotherProcessReopensTheDefinitionsAndCarriesOn() {
        nets.create("my_net1").create();
        Namespace box3 = w.box("box3");
        Namespace box2 = w.box("box2");
        nets.connect("my_net1", box3);
        nets.connect("bridge", box2);

        Networks second = w.open(); // a new process: same store, same kernel, no live handles
        assertThat(second.list()).extracting(Network::name).containsExactly("bridge", "my_net1");
        assertThat(second.endpoints("my_net1")).extracting(Endpoint::container).containsExactly("box3");
        Endpoint e = second.connect("my_net1", box2);
        assertThat(e.interfaceName()).isEqualTo("eth1");
        assertThat(e.ip()).isEqualTo("172.18.0.3");
        second.disconnect("my_net1", "box3"); // opens box3's namespace by its name
        assertThat(in(box3).findLink("eth0")).isEmpty();
        assertThat(second.reconcile(false).isClean()).isTrue();
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    @Test
    void twoProcessesSharingAStoreNeverHandOutTheSameAddress() throws Exception {
        nets.create("shared").subnet("10.44.0.0/24").create();
        Networks other = w.open(); // another process on the same store and kernel
        List<Namespace> boxes = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            boxes.add(w.box("race" + i));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Endpoint>> results = new java.util.ArrayList<>();
            for (int i = 0; i < boxes.size(); i++) {
                Networks by = i % 2 == 0 ? nets : other;
                Namespace box = boxes.get(i);
                results.add(pool.submit(() -> by.connect("shared", box)));
            }
            java.util.Set<String> ips = new java.util.HashSet<>();
            for (var f : results) {
                ips.add(f.get().ip());
            }
            assertThat(ips).hasSize(16);
        } finally {
            pool.shutdownNow();
        }
        assertThat(nets.endpoints("shared")).hasSize(16);
        // two processes rewriting the same hosts files at once: the last writer may have missed the
        // other's endpoint; reconcile brings every file in line with the store
        nets.reconcile(true);
        assertThat(nets.reconcile(false).isClean()).isTrue();
        assertThat(Files.readString(etc.resolve("race0").resolve("hosts"))).contains("\trace15\n");
    }

    /**
     * Each creation reads the networks defined so far for its isolation rules, and a network another
     * process is creating has no record yet: of two created at once, neither saw the other, and
     * 6 rounds in 40 ended with no isolation between them (found so, before the re-read after the record).
     */
    @Test
    void twoNetworksCreatedAtOnceByTwoProcessesAreIsolatedFromEachOther() throws Exception {
        Networks other = w.open(); // another process on the same store and kernel
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 40; round++) {
                var go = new java.util.concurrent.CyclicBarrier(2);
                String mine = "mine" + round;
                String theirs = "theirs" + round;
                var created = pool.submit(() -> {
                    go.await();
                    return other.create(theirs).create();
                });
                go.await();
                Network a = nets.create(mine).create();
                Network b = created.get();
                assertThat(w.host.nat().list()).as("round %d", round).contains(NatRule.isolate(a.config().device(), b.config().device()));
                nets.remove(mine);
                other.remove(theirs);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(w.host.nat().list()).isEmpty();
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    /**
     * Six networks removed at once share the isolation between them: each removal finds a pair gone
     * that another removal took, reads its rules again and removes the rest, and the rest can be
     * taken meanwhile too (three JVMs removing networks failed so with ENOENT on the real kernel).
     */
    @Test
    void networksRemovedAtOnceBySixProcessesAllGo() throws Exception {
        List<Networks> processes = List.of(nets, w.open(), w.open(), w.open(), w.open(), w.open());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(processes.size());
        try {
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < processes.size(); i++) {
                    nets.create("r" + round + "n" + i).create();
                }
                var go = new java.util.concurrent.CyclicBarrier(processes.size());
                List<java.util.concurrent.Future<?>> removals = new java.util.ArrayList<>();
                for (int i = 0; i < processes.size(); i++) {
                    Networks by = processes.get(i);
                    String name = "r" + round + "n" + i;
                    removals.add(pool.submit(() -> {
                        go.await();
                        by.remove(name);
                        return null;
                    }));
                }
                for (var f : removals) {
                    f.get(); // throws if a removal failed
                }
                assertThat(w.host.nat().list()).as("round %d", round).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(nets.list()).isEmpty();
    }

    /**
     * A removal checks the network's endpoints and address leases, then deletes it; a connect in
     * another process takes its lease, then attaches. A connect whose lease came after the
     * removal's read used to succeed beside the removal: 12 rounds in 60 ended with an endpoint on
     * a network that no longer existed (its veth on no bridge). Now one of the two fails (or both,
     * when each sees the other: like two compare-and-sets, never both succeed).
     */
    @Test
    void aNetworkRemovedWhileAnotherProcessConnectsToItNeverKeepsTheEndpoint() throws Exception {
        Networks other = w.open();
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        int connected = 0;
        int removed = 0;
        try {
            for (int round = 0; round < 60; round++) {
                String net = "n" + round;
                nets.create(net).create();
                Namespace box = w.box("box" + round);
                var go = new java.util.concurrent.CyclicBarrier(2);
                var connect = pool.submit(() -> {
                    go.await();
                    try {
                        return other.connect(net, box);
                    } catch (NetworkNotFoundException | NetworkInUseException lost) {
                        return null;
                    }
                });
                go.await();
                boolean gone;
                try {
                    nets.remove(net);
                    gone = true;
                } catch (NetworkInUseException | ConcurrentChangeException lost) {
                    gone = false;
                }
                Endpoint e = connect.get();
                assertThat(e == null || !gone).as("round %d: the connect and the removal both succeeded", round).isTrue();
                if (e != null) {
                    connected++;
                    assertThat(w.host.findLink(e.config().hostIfName()).orElseThrow().masterName()).isEqualTo(nets.network(net).config().device());
                    nets.disconnect(net, e.container());
                    nets.remove(net);
                }
                removed += gone ? 1 : 0;
                if (e == null && !gone) {
                    nets.remove(net); // each saw the other and gave way: both may fail, never both succeed
                }
                assertThat(nets.reconcile(false).isClean()).as("round %d", round).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(nets.list()).isEmpty();
        System.out.println("connect beside remove, 60 rounds: " + connected + " connects won, " + removed + " removals won");
    }

    /**
     * The exact interleavings: a connect runs from start to end just after the removal read the
     * network's address leases (none), or its endpoints (none). It sees the removal's note, stored
     * before those reads, and fails; the removal goes on and leaves nothing of it. (With the
     * endpoints read before the leases, the second case let both succeed: the connect's lease then
     * named an operation already over, as a dead process's does.)
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {State.LEASES, State.ENDPOINTS})
    void aConnectThatTheRemovalsChecksMissedSeesTheRemovalAndFails(String readPrefix) {
        HookedStore hooked = new HookedStore(w.store);
        Networks remover = Networks.builder(w.host).store(hooked).etcNetns(etc).open();
        Network net = nets.create("going").create();
        Namespace box = w.box("late");
        Throwable[] connect = new Throwable[1];
        hooked.afterRead(k -> k.startsWith(readPrefix + "going"), () -> {
            try {
                nets.connect("going", box); // another process
            } catch (RuntimeException e) {
                connect[0] = e;
            }
        });
        remover.remove("going");
        assertThat(connect[0]).isInstanceOf(NetworkNotFoundException.class).hasMessage("network going is being removed by another process");
        assertThat(nets.list()).isEmpty();
        assertThat(w.host.findLink(net.config().device())).isEmpty();
        assertThat(in(box).links()).extracting(LinkInfo::name).containsExactly("lo");
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    /**
     * A connect that took its lease before the removal began and stores its endpoint while the
     * removal checks: the removal reads the leases first (the connect's, its operation alive) and
     * gives way. It read the endpoints first before: none yet; then the connect ended, and its lease
     * named an operation already over, as a dead process's does: both succeeded.
     */
    @Test
    void aConnectThatEndsWhileTheRemovalChecksIsSeenByTheRemoval() throws Exception {
        HookedStore connecting = new HookedStore(w.store);
        HookedStore removing = new HookedStore(w.store);
        Networks connector = Networks.builder(w.host).store(connecting).etcNetns(etc).open();
        Networks remover = Networks.builder(w.host).store(removing).etcNetns(etc).open();
        nets.create("busy").create();
        Namespace box = w.box("early");
        Pause atRecord = new Pause();
        connecting.beforeWrite(k -> k.startsWith(State.ENDPOINTS + "busy"), atRecord::hold);
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var connect = pool.submit(() -> connector.connect("busy", box));
            atRecord.awaitReached();
            removing.afterRead(k -> k.startsWith(State.ENDPOINTS + "busy"), () -> {
                atRecord.release();
                try {
                    connect.get(); // the connect ends between the removal's two reads
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertThatThrownBy(() -> remover.remove("busy")).isInstanceOf(NetworkInUseException.class);
            } finally {
                atRecord.release();
            }
            Endpoint e = connect.get();
            assertThat(nets.network("busy").endpoints()).extracting(Endpoint::container).containsExactly(e.container());
            assertThat(nets.reconcile(false).isClean()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The removal of a network, still finishing after its record went, does not hold up connects to a new network of that name. */
    @Test
    void aRemovalStillFinishingDoesNotHoldUpConnectsToANewNetworkOfTheSameName() {
        HookedStore hooked = new HookedStore(w.store);
        Networks remover = Networks.builder(w.host).store(hooked).etcNetns(etc).open();
        Network old = nets.create("x").create();
        Endpoint once = nets.connect("x", w.box("once")); // leaves the address hint the removal deletes
        nets.disconnect("x", once.container());
        Endpoint[] connected = new Endpoint[1];
        hooked.beforeWrite(State.cursorKey("x")::equals, () -> { // after the record, before the bridge
            Network fresh = nets.create("x").create();
            assertThat(fresh.id()).isNotEqualTo(old.id());
            connected[0] = nets.connect("x", w.box("new"));
        });
        remover.remove("x");
        assertThat(connected[0]).isNotNull();
        assertThat(nets.network("x").endpoints()).extracting(Endpoint::container).containsExactly("new");
        assertThat(w.host.findLink(old.config().device())).isEmpty();
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    /**
     * A removal read network x; before it started, another process removed x and created a new x.
     * The removal deleted the record there, the new x's, and then the old bridge (gone already):
     * the new bridge stayed, with no record. Now it deletes only the network it read, and gives way.
     */
    @Test
    void aRemovalNeverDeletesTheRecordOfANewNetworkOfTheSameName() {
        HookedStore hooked = new HookedStore(w.store);
        Networks remover = Networks.builder(w.host).store(hooked).etcNetns(etc).open();
        nets.create("x").create();
        Network[] fresh = new Network[1];
        hooked.afterRead(State.networkKey("x")::equals, () -> {
            nets.remove("x");
            fresh[0] = nets.create("x").create();
        });
        assertThatThrownBy(() -> remover.remove("x")).isInstanceOf(ConcurrentChangeException.class).hasMessageContaining("is another network now");
        assertThat(nets.network("x").id()).isEqualTo(fresh[0].id());
        assertThat(w.host.findLink(fresh[0].config().device())).isPresent();
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    /**
     * Two processes connect to the default network first, at the same moment, on a fresh host: one
     * creates it, and the other found its bridge or its subnet lease taken before its record
     * existed and failed (11 of 60 connects in 30 rounds). Now it waits for the creator's record.
     */
    @Test
    void twoProcessesUsingTheDefaultNetworkFirstAtOnceBothConnect() throws Exception {
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 30; round++) {
                World fresh = new World(etc.resolve("round" + round));
                Networks other = fresh.open();
                Namespace mine = fresh.box("mine");
                Namespace theirs = fresh.box("theirs");
                var go = new java.util.concurrent.CyclicBarrier(2);
                var connect = pool.submit(() -> {
                    go.await();
                    return other.connect("bridge", theirs);
                });
                go.await();
                Endpoint a = fresh.networks.connect("bridge", mine);
                Endpoint b = connect.get();
                assertThat(List.of(a.ip(), b.ip())).as("round %d", round).containsExactlyInAnyOrder("172.17.0.2", "172.17.0.3");
                assertThat(fresh.networks.list()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A docker0 that is not netlib's (Docker's own) is the caller's to see at once, not waited for. */
    @Test
    void aDockerZeroThatIsNotNetlibsFailsTheFirstUseOfTheDefaultNetworkAtOnce() {
        w.host.bridge("docker0").create();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> nets.connect("bridge", w.box("c"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("a link named docker0 already exists");
        assertThat(System.nanoTime() - t0).as("no wait for a creator that does not exist").isLessThan(5_000_000_000L);
        assertThat(nets.list()).isEmpty();
    }

    /** A removal whose process died left its note: connects ignore it, and the next removal takes it over. */
    @Test
    void aDeadRemoversNoteNeitherBlocksConnectsNorTheNextRemoval() {
        Network net = nets.create("left").create();
        Owner dead = Liveness.begin();
        Liveness.end(dead); // an operation that ended without removing its note: as if its process died
        String key = State.removalNoteKey(net.config());
        w.store.compareAndSet(key, 0, new Pending("remove network left", false, State.networkKey("left"),
                List.of(KernelLink.onHost(net.config().device())), List.of(State.networkKey("left")), List.of(), dead).encode());
        Endpoint e = nets.connect("left", w.box("still"));
        nets.disconnect("left", e.container());
        nets.remove("left");
        assertThat(w.store.get(key)).isEmpty();
        assertThat(nets.list()).isEmpty();
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    /**
     * A batch refused with EEXIST changed nothing, so its roll-back must not remove anything: the
     * rule it collided with is the other writer's (its undo used to be journaled before the batch,
     * and took that rule along).
     */
    @Test
    void aCreationRefusedForARuleAnotherWriterHoldsLeavesThatRuleInPlace() {
        NatRule theirs = NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build();
        w.host.nat().add(theirs); // another tool's (or a dead process's) masquerade for the default network
        String before = w.state();
        assertThatThrownBy(() -> nets.create("bridge2").subnet("172.17.0.0/16").bridgeName("docker0").create())
                .isInstanceOf(dev.netlib.error.AlreadyExistsException.class).hasMessageContaining("already has the rule");
        assertThat(w.host.nat().list()).containsExactly(theirs);
        assertThat(w.state()).isEqualTo(before);
    }

    @Test
    void reconcileFindsAndRestoresAMissingIsolationBetweenTwoNetworks() {
        Network a = nets.create("net_a").create();
        Network b = nets.create("net_b").create();
        NatRule isolation = NatRule.isolate(a.config().device(), b.config().device());
        w.host.nat().remove(isolation); // as two creations at once left it before, or a hand edit
        ReconcileReport seen = nets.reconcile(false);
        // one finding, though both networks want the rule: a report-only pass repairs nothing in
        // between, and listed the missing rule once per network before
        assertThat(seen.findings()).extracting(ReconcileReport.Finding::toString)
                .singleElement().matches(f -> f.contains("network net_a") && f.contains("'" + isolation + "' is missing"));
        nets.reconcile(true);
        assertThat(w.host.nat().list()).contains(isolation);
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    @Test
    void definitionsSurviveInAFileStoreForTheNextProcess() {
        Path dir = etc.resolve("ipam");
        Networks first = Networks.builder(w.host).store(FileIpamStore.open(dir)).etcNetns(etc).open();
        first.create("my_net2").subnet("172.20.18.0/24").create();
        Namespace box5 = w.box("box5");
        first.endpoint("my_net2", box5).ip("172.20.18.6").alias("web").connect();

        // a later process: a new store object on the same directory, no live namespace handles
        Networks later = Networks.builder(w.host).store(FileIpamStore.open(dir)).etcNetns(etc).open();
        assertThat(later.network("my_net2").config().subnet()).hasToString("172.20.18.0/24");
        assertThat(later.findEndpoint("my_net2", "box5").orElseThrow().aliases()).containsExactly("web");
        Endpoint e6 = later.connect("my_net2", w.box("box6"));
        assertThat(e6.ip()).isEqualTo("172.20.18.2");
        assertThatThrownBy(() -> later.endpoint("my_net2", w.box("box7")).ip("172.20.18.6").connect())
                .hasMessageContaining("Address already in use");
        assertThat(later.resolve("box6", "web")).map(IpAddresses::format).contains("172.20.18.6");
        assertThat(later.reconcile(false).isClean()).isTrue();
    }

    @Test
    void reconcileRollsBackAnOperationKilledBeforeItsStoreWrite() {
        nets.create("my_net1").create();
        Namespace box3 = w.box("box3");
        String before = w.kernelState();
        // connect writes: the container's lock, pending note, address lease, address hint, endpoint
        // record...; die at the record (the 5th write)
        w.store.failNthWrite(5, () -> new Crash());
        assertThatThrownBy(() -> nets.connect("my_net1", box3)).isInstanceOf(Crash.class);
        assertThat(w.kernelState()).isNotEqualTo(before); // the veth was left behind
        Networks restarted = w.open();
        ReconcileReport report = restarted.reconcile(true);
        assertThat(report.findings()).extracting(ReconcileReport.Finding::problem).anyMatch(p -> p.contains("rolling it back"));
        assertThat(report.findings()).allMatch(ReconcileReport.Finding::repaired);
        // as on Linux, a bridge made with a MAC has no carrier until its first port (br_stp_change_bridge_id)
        // and so no IPv6 link-local address; the one it got while the port was there stays
        assertThat(withoutLinkLocal(w.kernelState())).isEqualTo(withoutLinkLocal(before));
        assertThat(w.store.contents().keySet()).noneMatch(k -> k.startsWith(State.PENDING));
        assertThat(restarted.state().pool("my_net1").allocations()).isEmpty();
        assertThat(restarted.reconcile(false).isClean()).isTrue();
        assertThat(restarted.connect("my_net1", box3).ip()).isEqualTo("172.18.0.3"); // sequential: .2 was handed out once
    }

    @Test
    void reconcileFinishesADisconnectKilledAfterItsStoreWrite() {
        nets.create("my_net1").create();
        Namespace box3 = w.box("box3");
        Endpoint e = nets.connect("my_net1", box3);
        // disconnect writes: the container's lock, pending note, delete record, delete index entry...;
        // die after the record is gone
        w.store.failNthWrite(4, () -> new Crash());
        assertThatThrownBy(() -> nets.disconnect("my_net1", "box3")).isInstanceOf(Crash.class);
        Networks restarted = w.open();
        ReconcileReport report = restarted.reconcile(true);
        assertThat(report.isClean()).isFalse();
        assertThat(w.host.findLink(e.config().hostIfName())).isEmpty();
        assertThat(in(box3).findLink("eth0")).isEmpty();
        assertThat(restarted.reconcile(false).isClean()).isTrue();
    }

    @Test
    void reconcileRepairsWhatTheKernelLost() {
        Network net1 = nets.create("my_net1").create();
        Namespace box3 = w.box("box3");
        Namespace box4 = w.box("box4");
        Endpoint e3 = nets.connect("my_net1", box3);
        nets.connect("my_net1", box4);
        w.host.link(net1.config().device()).delete(); // someone deleted the bridge (the veths stay, unattached)
        w.root.namespaces().delete("box4");           // and a container went away without disconnecting
        ReconcileReport seen = nets.reconcile(false);
        assertThat(seen.findings()).extracting(ReconcileReport.Finding::toString)
                .anyMatch(f -> f.contains("bridge " + net1.config().device() + " is missing"))
                .anyMatch(f -> f.contains("container namespace box4 is gone"));
        assertThat(seen.findings()).noneMatch(ReconcileReport.Finding::repaired);
        nets.reconcile(true);
        assertThat(w.host.findLink(net1.config().device())).isPresent();
        assertThat(w.host.addresses().list(net1.config().device())).filteredOn(a -> a.address().isIpv4()).extracting(a -> a.address().toString()).containsExactly("172.18.0.1/16");
        assertThat(nets.endpoints("my_net1")).extracting(Endpoint::container).containsExactly("box3");
        // box3's veth had lost its master with the bridge: put back on the new one
        assertThat(w.host.findLink(e3.config().hostIfName()).orElseThrow().masterName()).isEqualTo(net1.config().device());
        assertThat(nets.reconcile(false).isClean()).isTrue();
        w.host.link(e3.config().hostIfName()).delete();
        nets.reconcile(true);
        assertThat(in(box3).findLink("eth0")).isPresent();
        assertThat(w.host.findLink(e3.config().hostIfName()).orElseThrow().masterName()).isEqualTo(net1.config().device());
    }

    @Test
    void deleteContainerForgetsEndpointsThenDeletesTheNamespaceWithItsInterfaces() throws Exception {
        nets.create("my_net1").create();
        Namespace box2 = w.box("box2");
        Namespace box3 = w.box("box3");
        Endpoint a = nets.endpoint("bridge", box2).publish("8080:80").connect();
        Endpoint b = nets.connect("my_net1", box2);
        nets.connect("my_net1", box3);
        nets.deleteContainer("box2", box2);
        assertThat(w.root.namespaces().list()).doesNotContain("box2");
        assertThat(w.host.findLink(a.config().hostIfName())).isEmpty();
        assertThat(w.host.findLink(b.config().hostIfName())).isEmpty();
        assertThat(nets.endpointsOf("box2")).isEmpty();
        assertThat(w.host.nat().list()).noneMatch(r -> r.spec() instanceof dev.netlib.spi.nft.DnatRule);
        assertThat(Files.readString(etc.resolve("box3").resolve("hosts"))).doesNotContain("box2");
        assertThat(etc.resolve("box2")).doesNotExist();
        assertThat(nets.reconcile(false).isClean()).isTrue();
    }

    /** A process dying in the middle of an operation: not a RuntimeException, so no journal rollback runs. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash");
        }
    }

    private static String withoutLinkLocal(String state) {
        return state.lines().filter(l -> !l.contains("fe80:")).collect(java.util.stream.Collectors.joining("\n"));
    }
}
