package dev.netlib.overlay;

import static dev.netlib.overlay.OverlayWaits.await;
import static dev.netlib.overlay.OverlayWaits.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.MemoryClusterStore;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Txn;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay agents of three hosts on FakeKernel and one MemoryClusterStore with a clock the test
 * moves: what each host's kernel holds after joins, leaves, crashes, lost leases, compaction and
 * restarts, checked against the store by the agents' own diff and by reading the tables.
 */
class FakeOverlayTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private MemoryClusterStore store;
    private FakeKernel kernel;
    private Netlib root;
    private final List<Namespace> hostNs = new ArrayList<>();
    private final List<OverlayAgent> agents = new ArrayList<>();
    @TempDir
    Path hosts;
    @TempDir
    Path records;

    @BeforeEach
    void hosts() {
        store = MemoryClusterStore.withClock(clock::get);
        kernel = new FakeKernel();
        root = Netlib.open(kernel);
        for (int h = 1; h <= 3; h++) {
            Namespace ns = root.namespaces().create("h" + h);
            hostNs.add(ns);
            Netlib hn = root.in(ns);
            hn.dummy("eth0").up().create();
            hn.addresses().add("eth0", "10.99.0." + h + "/24");
            agents.add(agent(h));
        }
    }

    private OverlayAgent agent(int h) {
        return agent(h, store);
    }

    private OverlayAgent agent(int h, ClusterStore client) {
        return OverlayAgent.builder(root.in(hostNs.get(h - 1)), client, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h))
                .hostsRoot(hosts).recordDir(records).open();
    }

    @AfterEach
    void stop() {
        agents.forEach(a -> {
            if (a != null) {
                a.close();
            }
        });
        store.close();
    }

    /** Host 2's agent again, on a client of the store whose watches the test can make lag or fail. */
    private WatchFaultStore host2OnAFaultyClient() {
        WatchFaultStore client = new WatchFaultStore(store);
        a(2).close();
        agents.set(1, agent(2, client));
        return client;
    }

    /** Network my_olay made by host 2 with container web01 on it, every host converged. */
    private OverlayNetwork web01OnHost2() throws InterruptedException {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        assertConverged();
        return n;
    }

    private Netlib host(int h) {
        return root.in(hostNs.get(h - 1));
    }

    private OverlayAgent a(int h) {
        return agents.get(h - 1);
    }

    private void assertConverged() throws InterruptedException {
        for (OverlayAgent agent : agents) {
            await(agent.hostId() + " kernel equals store", () -> agent.diff().isEmpty());
        }
    }

    private List<String> neighbours(int h, String dev) {
        return host(h).neighbors().list().stream().filter(n -> n.device().equals(dev))
                .map((NeighborInfo n) -> IpAddresses.format(n.address()) + " " + n.mac()).sorted().toList();
    }

    private List<String> fdb(int h, String dev) {
        return host(h).fdb().list(dev).stream().filter(f -> f.self() && !f.master())
                .map((FdbInfo f) -> f.mac() + " " + IpAddresses.format(f.destination())).sorted().toList();
    }

    /** The bridge's static entries on the tunnel port {@code dev} (master, not permanent), by MAC. */
    private List<String> bridgeEntries(int h, String dev) {
        return host(h).fdb().list(dev).stream().filter(f -> f.master() && !f.self() && !f.isPermanent())
                .map((FdbInfo f) -> f.mac().toString()).sorted().toList();
    }

    @Test
    void twoContainersOnTwoHostsGetEachOthersEntriesAndNames() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        assertThat(a(3).network("my_olay")).contains(n);
        Namespace web01 = root.namespaces().create("web01");
        Namespace web02 = root.namespaces().create("web02");
        OverlayEndpoint e1 = a(2).connect(n, web01, "eth0", "web01");
        OverlayEndpoint e2 = a(3).connect(n, web02, "eth0", "web02");
        assertThat(IpAddresses.format(e1.ip())).isEqualTo("10.0.0.2");
        assertThat(IpAddresses.format(e2.ip())).isEqualTo("10.0.0.3");
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).containsExactly("10.0.0.3 02:42:0a:00:00:03");
        assertThat(fdb(2, n.vxlanName())).containsExactly("02:42:0a:00:00:03 10.99.0.3");
        assertThat(neighbours(3, n.vxlanName())).containsExactly("10.0.0.2 02:42:0a:00:00:02");
        assertThat(host(1).findLink(n.vxlanName())).as("no devices on a host without endpoints").isEmpty();
        var vx = host(2).findLink(n.vxlanName()).orElseThrow();
        assertThat(vx.mtu()).isEqualTo(n.mtu());
        assertThat(vx.masterName()).isEqualTo(n.bridgeName());
        await("web01's hosts file names web02", () -> read(hosts.resolve("web01/hosts")).contains("10.0.0.3\tweb02"));
        assertThat(read(hosts.resolve("web01/hosts"))).contains("10.0.0.2\tweb01");

        a(3).disconnect(e2);
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).isEmpty();
        assertThat(host(3).findLink(n.vxlanName())).as("devices go with the last local endpoint").isEmpty();
        await("web02's name gone from web01's hosts file", () -> !read(hosts.resolve("web01/hosts")).contains("web02"));
    }

    @Test
    void gracefulCloseWithdrawsAtOnceAndACrashAfterTheTtl() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        a(1).connect(n, root.namespaces().create("web03"), "eth0", "web03");
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).hasSize(2);

        a(3).close();
        agents.set(2, null);
        await("h3 withdrawn from h2", () -> neighbours(2, n.vxlanName()).size() == 1);

        a(1).abandon(); // a crash: the lease stays until it expires
        agents.set(0, null);
        Thread.sleep(200);
        assertThat(neighbours(2, n.vxlanName())).hasSize(1);
        clock.addAndGet(Duration.ofSeconds(11).toMillis());
        await("h1 withdrawn after its TTL", () -> neighbours(2, n.vxlanName()).isEmpty());
        await("h2 converged", () -> a(2).diff().isEmpty());
    }

    @Test
    void aLostLeaseIsRegainedAndPeersKeepPermanentEntries() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        assertConverged();
        long before = a(3).lease();
        store.revokeLease(a(3).lease()); // as if it had expired
        clock.addAndGet(4000); // the next keep-alive finds the lease gone
        await("h3 re-registered", () -> a(3).lease() != before);
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).containsExactly("10.0.0.3 02:42:0a:00:00:03");
    }

    @Test
    void compactionPastTheWatcherCausesOneRelistAndNoLoss() throws Exception {
        WatchFaultStore h2Client = host2OnAFaultyClient();
        OverlayNetwork n = web01OnHost2();
        long relists = a(2).relists();
        long behind = store.revision();
        h2Client.lagWatches(); // h2's watch falls behind: the changes below do not reach it
        a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        a(1).connect(n, root.namespaces().create("web03"), "eth0", "web03");
        store.compact(store.revision());
        h2Client.catchUpFrom(behind + 1); // served again from where it fell behind, which is compacted now
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).hasSize(2);
        Thread.sleep(300);
        assertThat(a(2).relists()).as("one relist, no loop").isEqualTo(relists + 1);
    }

    @Test
    void aRelistGoesOnWhenClosingTheOldWatchFails() throws Exception {
        // the relist runs on the agent's scheduler, where an exception would end it silently and
        // leave the agent without a watch until the stall check (three progress intervals)
        WatchFaultStore h2Client = host2OnAFaultyClient();
        OverlayNetwork n = web01OnHost2();
        long behind = store.revision();
        h2Client.lagWatches();
        a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        store.compact(store.revision());
        h2Client.failNextClose(); // the relist's close of the old watch throws
        h2Client.catchUpFrom(behind + 1);
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).hasSize(1);
    }

    @Test
    void aHostDownWhilePeersChangedEqualsTheStoreAfterRestart() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        Namespace web01 = root.namespaces().create("web01");
        OverlayEndpoint w1 = a(2).connect(n, web01, "eth0", "web01");
        OverlayEndpoint w2 = a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        assertConverged();
        a(2).abandon();
        OverlayAgent down = a(2);
        agents.set(1, null);
        a(3).disconnect(w2);
        a(3).connect(n, root.namespaces().create("web04"), "eth0", "web04");
        // the restarted h2 still has web01 (the container outlived the process) and re-announces it
        OverlayAgent up = agent(2);
        agents.set(1, up);
        up.prepare(n);
        up.advertise(new OverlayEndpoint(n, w1.id(), w1.ip(), w1.mac(), w1.name(), w1.container()));
        assertConverged();
        assertThat(neighbours(2, n.vxlanName())).containsExactly("10.0.0.4 02:42:0a:00:00:04");
        assertThat(down.relists()).isEqualTo(1);
    }

    private long advertise(OverlayNetwork n, String epId, String vtep, String ip, String mac) {
        EndpointAdvert a = new EndpointAdvert(n.id(), epId, HostId.of("h3"), IpAddresses.parse(vtep), IpAddresses.parse(ip),
                MacAddress.parse(mac), null, a(3).bootId(), List.of());
        return store.txn(Txn.when().then(Op.put(new Keys(Keys.DEFAULT_PREFIX).endpoint(n.id(), epId), a.encode(), a(3).lease()))).revision();
    }

    @Test
    void twoMacsForOneAddressAndANeighbourSomeoneElseRewrote() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        String dev = n.vxlanName();
        // an endpoint of h3 re-made with another MAC: its new advert appears before the old one goes
        advertise(n, "old", "10.99.0.3", "10.0.0.50", "02:00:00:00:00:01");
        advertise(n, "new", "10.99.0.3", "10.0.0.50", "02:00:00:00:00:02");
        await("the later advert's MAC", () -> neighbours(2, dev).equals(List.of("10.0.0.50 02:00:00:00:00:02")));
        await("both MACs to h3", () -> fdb(2, dev).equals(List.of("02:00:00:00:00:01 10.99.0.3", "02:00:00:00:00:02 10.99.0.3")));
        // the newer goes first: the older's MAC is written back, the address never left without an entry
        store.delete(new Keys(Keys.DEFAULT_PREFIX).endpoint(n.id(), "new"));
        await("the remaining advert's MAC", () -> neighbours(2, dev).equals(List.of("10.0.0.50 02:00:00:00:00:01")));
        await("its MAC only", () -> fdb(2, dev).equals(List.of("02:00:00:00:00:01 10.99.0.3")));
        // someone else rewrites the entry, then the last advert goes: the entry is not netlib's any more
        host(2).neighbors().replace(dev, "10.0.0.50", "02:00:00:00:00:99");
        store.delete(new Keys(Keys.DEFAULT_PREFIX).endpoint(n.id(), "old"));
        await("the FDB entry withdrawn", () -> fdb(2, dev).isEmpty());
        a(2).sync();
        assertThat(neighbours(2, dev)).as("a neighbour is deleted only while it has the MAC netlib wrote")
                .containsExactly("10.0.0.50 02:00:00:00:00:99");
        assertConverged();
        // an advert for the address again: netlib owns the entry again, and its removal deletes it
        advertise(n, "again", "10.99.0.3", "10.0.0.50", "02:00:00:00:00:03");
        await("the new advert's MAC", () -> neighbours(2, dev).equals(List.of("10.0.0.50 02:00:00:00:00:03")));
        store.delete(new Keys(Keys.DEFAULT_PREFIX).endpoint(n.id(), "again"));
        await("deleted with its advert", () -> neighbours(2, dev).isEmpty());
    }

    @Test
    void aRestartedAgentRemovesTheEntriesOfPeersThatLeftMeanwhileAndOnlyThose() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        OverlayEndpoint w1 = a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        OverlayEndpoint w2 = a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        OverlayEndpoint w3 = a(1).connect(n, root.namespaces().create("web03"), "eth0", "web03");
        String dev = n.vxlanName();
        await("h2 programmed web02 and web03",
                () -> neighbours(2, dev).size() == 2 && fdb(2, dev).size() == 2 && bridgeEntries(2, dev).size() == 2);
        host(2).fdb().entry(dev, "02:00:00:00:00:97").master().staticEntry().add(); // "the user's" bridge entry on the tunnel port
        a(2).sync();
        assertThat(bridgeEntries(2, dev)).as("left alone by a running agent").contains("02:00:00:00:00:97");
        a(2).close(); // h2's process stops; its container and kernel entries stay
        agents.set(1, null);
        a(3).disconnect(w2); // both peers leave while h2 is down
        a(1).disconnect(w3);
        // meanwhile "the user" rewrites web03's neighbour and adds an FDB entry of their own
        host(2).neighbors().replace(dev, IpAddresses.format(w3.ip()), "02:00:00:00:00:99");
        host(2).fdb().entry(dev, "02:00:00:00:00:98").destination("10.99.0.9").self().replace();
        agents.set(1, agent(2));
        a(2).prepare(n);
        a(2).advertise(w1); // the restarted host announces the container that outlived it
        a(2).sync();
        assertThat(neighbours(2, dev)).as("web02's entry (netlib's, per the record) gone; web03's rewritten one left alone")
                .containsExactly(IpAddresses.format(w3.ip()) + " 02:00:00:00:00:99");
        assertThat(fdb(2, dev)).as("both peers' FDB entries gone, the user's left alone").containsExactly("02:00:00:00:00:98 10.99.0.9");
        assertThat(bridgeEntries(2, dev)).as("both peers' bridge entries gone, the user's left alone").containsExactly("02:00:00:00:00:97");
        assertConverged();
    }

    @Test
    void learningTurnedOnOnTheTunnelPortIsADifferenceAndTheRepairTurnsItOff() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        String dev = n.vxlanName();
        assertThat(host(2).link(dev).info().bridgePort().learning()).as("created off").isFalse();
        a(2).settleForTest(); // every reconcile the advert caused done, the scheduled ones too: the diff, not a repair, must see the change first
        host(2).link(dev).portLearning(true); // someone turns it on
        assertThat(a(2).diff()).containsExactly(dev + ": bridge port learning on, want off");
        a(2).refresh(n);
        assertThat(host(2).link(dev).info().bridgePort().learning()).isFalse();
        assertConverged();
    }

    @Test
    void aVtepAddressChangeReplacesThePeersEntries() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        OverlayEndpoint w1 = a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        OverlayEndpoint w2 = a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        assertConverged();
        String dev = n.vxlanName();
        assertThat(fdb(2, dev)).containsExactly(w2.mac() + " 10.99.0.3");
        // the advert rewritten in place with another VTEP (one PUT on the same key)
        advertise(n, w2.id(), "10.99.0.30", "10.0.0.3", w2.mac().toString());
        await("the FDB entry moved to the new VTEP, the old one gone", () -> fdb(2, dev).equals(List.of(w2.mac() + " 10.99.0.30")));
        // h3 restarts on a new underlay address and announces its endpoint again from there
        host(3).addresses().add("eth0", "10.99.0.33/24");
        a(3).close();
        OverlayAgent moved = OverlayAgent.builder(host(3), store, HostId.of("h3"), IpAddresses.parse("10.99.0.33"))
                .hostsRoot(hosts).recordDir(records).open();
        agents.set(2, moved);
        moved.prepare(n);
        moved.advertise(w2);
        await("h2 sends web02's frames to the new VTEP only", () -> fdb(2, dev).equals(List.of(w2.mac() + " 10.99.0.33")));
        assertThat(neighbours(2, dev)).containsExactly("10.0.0.3 " + w2.mac());
        assertThat(fdb(3, dev)).containsExactly(w1.mac() + " 10.99.0.2");
        assertThat(host(3).findLink(dev).orElseThrow().details()).as("h3's VXLAN device re-made with the new local address")
                .isInstanceOfSatisfying(dev.netlib.model.VxlanSpec.class, x -> assertThat(IpAddresses.format(x.local())).isEqualTo("10.99.0.33"));
        assertConverged();
    }

    @Test
    void aStaleVxlanFromACrashIsCollectedAtStart() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).abandon();
        agents.set(1, null);
        // what a crash between creating the VXLAN device and announcing the endpoint leaves
        host(2).bridge(n.bridgeName()).create();
        host(2).vxlan(n.vxlanName()).vni(n.vni()).local("10.99.0.2").device("eth0").master(n.bridgeName()).create();
        agents.set(1, agent(2));
        assertThat(host(2).findLink(n.vxlanName())).isEmpty();
        assertThat(host(2).findLink(n.bridgeName())).isEmpty();
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        assertConverged();
    }

    @Test
    void vnisAndNamesStayUniqueUnderParallelCreateAndDelete() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int h = 1; h <= 3; h++) {
            OverlayAgent agent = a(h);
            int host = h;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        String name = "n" + host + "-" + i;
                        agent.createNetwork(name, "10." + host + "." + i + ".0/24");
                        if (i % 2 == 0) {
                            agent.deleteNetwork(name);
                            agent.createNetwork(name, "10." + host + "." + i + ".0/24");
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        List<OverlayNetwork> all = a(1).networks();
        assertThat(all).hasSize(120);
        Set<Integer> vnis = new HashSet<>();
        all.forEach(x -> vnis.add(x.vni()));
        assertThat(vnis).hasSize(120);
        assertThat(store.range("netlib/v1/vni/").kvs()).hasSize(120);
        assertThat(store.range("netlib/v1/network-names/").kvs()).hasSize(120);
    }

    @Test
    void threeHostsTimesEightyParallelJoinsOnOneSlash24GetDistinctAddresses() throws Exception {
        OverlayNetwork n = a(1).createNetwork("big", "10.0.0.0/24");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        List<java.util.concurrent.Future<OverlayEndpoint>> joins = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            for (int h = 1; h <= 3; h++) {
                OverlayAgent agent = a(h);
                String name = "c" + h + "-" + i;
                joins.add(pool.submit(() -> agent.connect(n, root.namespaces().create(name), "eth0", name)));
            }
        }
        Set<String> ips = new HashSet<>();
        for (var f : joins) {
            ips.add(IpAddresses.format(f.get().ip()));
        }
        pool.shutdown();
        assertThat(ips).hasSize(240).doesNotContain("10.0.0.0", "10.0.0.1", "10.0.0.255");
        assertConverged();
    }

    @Test
    void addressesOutliveALostLeaseAndAreFreedAfterTheGraceOrByTheirRestartedHost() throws Exception {
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        OverlayEndpoint w2 = a(3).connect(n, root.namespaces().create("web02"), "eth0", "web02");
        a(3).abandon();
        agents.set(2, null);
        clock.addAndGet(11_000); // h3's lease expires: its adverts go, its address stays
        await("h3's advert gone", () -> a(2).endpoints(n).isEmpty());
        assertThat(a(2).network("my_olay").map(x -> owners(x)).orElseThrow()).contains("h3/" + w2.id());
        // h2 died between allocating and announcing: its restarted run frees the address
        a(2).allocate(n, "h2/deadbeef0000");
        a(2).abandon();
        agents.set(1, OverlayAgent.builder(host(2), store, HostId.of("h2"), IpAddresses.parse("10.99.0.2")).hostsRoot(hosts).recordDir(records)
                .addressGrace(Duration.ofMillis(300)).open());
        assertThat(owners(n)).as("freed by the restarted host").doesNotContain("h2/deadbeef0000");
        await("h3's address freed after the grace period", () -> !owners(n).contains("h3/" + w2.id()));
    }

    private List<String> owners(OverlayNetwork n) {
        return new Catalog(store, new Keys(Keys.DEFAULT_PREFIX), 1, 2).pool(n).allocations().stream().map(x -> x.owner()).toList();
    }

    @Test
    void badInputIsRefusedWithWhatToFix() {
        a(2).createNetwork("my_olay", "10.0.0.0/24");
        assertThatThrownBy(() -> a(3).createNetwork("other", "10.0.0.128/25")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("overlaps 10.0.0.0/24");
        assertThatThrownBy(() -> a(3).createNetwork("my_olay", "10.5.0.0/24")).isInstanceOf(OverlayException.class)
                .hasMessageContaining("already exists");
        OverlayNetwork n = a(2).network("my_olay").orElseThrow();
        a(2).connect(n, root.namespaces().create("web01"), "eth0", "web01");
        Namespace other = root.namespaces().create("web01b");
        assertThatThrownBy(() -> a(3).connect(n, other, "eth0", "web01")).isInstanceOf(OverlayException.class)
                .hasMessageContaining("name 'web01' is taken").hasMessageContaining("on host h2");
        assertThat(host(3).findLink(n.vxlanName())).as("nothing half-built").isEmpty();
        assertThat(a(3).network("my_olay").map(a(3)::endpoints).orElseThrow()).hasSize(1);
        assertThatThrownBy(() -> a(2).deleteNetwork("my_olay")).hasMessageContaining("still has 1 endpoint");
        assertThatThrownBy(() -> OverlayAgent.builder(host(1), null, HostId.of("x"), IpAddresses.parse("10.99.0.1")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("cluster store");
        OverlayAgent tiny = OverlayAgent.builder(host(1), store, HostId.of("h9"), IpAddresses.parse("10.99.0.1")).prefix("tiny/")
                .vniRange(5, 5).hostsRoot(null).recordDir(records).open();
        try {
            tiny.createNetwork("a", "10.7.0.0/24");
            assertThatThrownBy(() -> tiny.createNetwork("b", "10.8.0.0/24")).hasMessageContaining("VNI range 5..5 is exhausted");
        } finally {
            tiny.close();
        }
    }
}
