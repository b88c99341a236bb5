package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.Versioned;
import dev.netlib.model.LinkInfo;
import dev.netlib.spi.nft.DnatRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reconcile(true) beside another process's connects and disconnects, deterministic: the other
 * writer (b, its own store object on the same files) works at an exact point between two reads of
 * a pass of a's reconcile. What b does in between is b's work, not a finding: the pass must not
 * re-create the interface of an endpoint b removed, nor publish again a port b unpublished, nor
 * delete the index entry of one b connected again, nor report any of it. A pass without its second
 * look does each of these.
 */
class ReconcileBesideLiveWorkTest {
    @TempDir
    Path tmp;

    private Netlib root;
    private Netlib host;
    private HookedStore hooked;
    private Networks a;
    private Networks b;

    private TwoWriters two;

    @BeforeEach
    void setUp() {
        two = new TwoWriters(tmp, "nll-host");
        root = two.root;
        host = two.host;
        hooked = two.hooked;
        a = two.a;
        b = two.b;
        a.create("n").subnet("10.207.0.0/24").create();
    }

    private Namespace box(String name) {
        return two.box(name);
    }

    private long portsOfTheBridge() {
        String bridge = a.network("n").config().device();
        return host.links().stream().map(LinkInfo::masterName).filter(bridge::equals).count();
    }

    @Test
    void anEndpointRemovedAfterThePassReadTheRecordsIsNotReCreated() {
        b.connect("n", box("c1"));
        // the pass has read the endpoints; b's disconnect deletes c1's record and then its veth
        hooked.afterRead(State.ENDPOINTS::equals, () -> b.disconnect("n", "c1"));
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's disconnect is not a finding").isEmpty();
        assertThat(portsOfTheBridge()).as("no veth of c1 made again").isZero();
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * The pass has read the networks; b removes n (its record, its rules, its bridge) before the
     * pass checks n's kernel objects. Without a second look at the notes and the record, the pass
     * found n's bridge and rules missing and made them again, for a network that is gone.
     */
    @Test
    void aNetworkRemovedAfterThePassReadTheNetworksIsNotMadeAgain() {
        String bridge = a.network("n").config().device();
        hooked.afterRead(State.NETWORKS::equals, () -> b.remove("n"));
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's removal is not a finding").isEmpty();
        assertThat(host.findLink(bridge)).as("no bridge of n made again").isEmpty();
        assertThat(host.nat().list()).as("no rule of n put back").isEmpty();
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aPortUnpublishedAfterThePassReadTheRecordsIsNotPublishedAgain() {
        b.endpoint("n", box("c1")).publish("8080:80").connect();
        // the pass has read c1's record with the port; b unpublishes it (its rule, then the record)
        hooked.afterRead(State.ENDPOINTS::equals, () -> b.findEndpoint("n", "c1").orElseThrow().unpublish("8080:80"));
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's unpublish is not a finding").isEmpty();
        assertThat(host.nat().list()).as("no DNAT for 8080 put back")
                .noneMatch(r -> r.spec() instanceof DnatRule d && d.hostPortFirst() == 8080);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aDefaultRouteHandedOverAfterThePassReadTheContainersEndpointsIsNotReported() {
        a.create("m").subnet("10.208.0.0/24").create();
        Namespace c1 = box("c1");
        b.connect("n", c1); // the default route: through n
        b.connect("m", c1);
        // the pass (its second read of the index: the default routes) reads c1's endpoints, m's
        // record first (no route on it); then b disconnects c1 from n, which hands the route over
        // to m, and the pass finds n's record gone and the kernel routing through m's gateway
        String mKey = State.endpointKey("m", "c1");
        hooked.afterRead(State.CONTAINERS::equals, () -> hooked.afterRead(State.CONTAINERS::equals,
                () -> hooked.afterRead(mKey::equals, () -> b.disconnect("n", "c1"))));
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's hand-over is not a finding").isEmpty();
        assertThat(b.state().endpoint("m", "c1").orElseThrow().defaultRoute()).isTrue();
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aRecordReplacedBetweenTheDefaultRouteRepairsReadAndItsWriteIsNotOverwritten() {
        Namespace c1 = box("c1");
        b.connect("n", c1);
        String key = State.endpointKey("n", "c1");
        // the record lags behind the kernel: c1 routes through n's gateway, its record does not say so
        EndpointConfig lagging = b.state().endpoint("n", "c1").orElseThrow().withDefaultRoute(false);
        b.state().replace(new Journal("test"), key, lagging.encode());
        // the repair has read the record's version; right before it writes, b disconnects c1 and
        // connects it again: a new endpoint, whose record the repair must not replace with the old
        // one (its write is conditional on the version it read)
        EndpointConfig[] fresh = new EndpointConfig[1];
        hooked.beforeWrite(key::equals, () -> {
            b.disconnect("n", "c1");
            fresh[0] = b.endpoint("n", root.namespaces().open("c1")).connect().config();
        });
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("the lagging record, found").anyMatch(f -> f.toString().contains("its record does not say so"));
        assertThat(fresh[0]).as("b reconnected c1 inside the pass").isNotNull();
        assertThat(b.state().endpoint("n", "c1")).as("b's new record, as b wrote it").contains(fresh[0]);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aRecordIsReplacedFromWhatWasReadOnlyWhileItIsStillThatRecord() {
        Namespace c1 = box("c1");
        b.connect("n", c1);
        EndpointConfig seen = b.state().endpoint("n", "c1").orElseThrow();
        // another endpoint under the same key since: a repair or a route hand-over written from
        // what was read must not put the old one back (the same version check cannot tell: the
        // write reads the version anew)
        b.disconnect("n", "c1");
        EndpointConfig fresh = b.endpoint("n", root.namespaces().open("c1")).connect().config();
        assertThatThrownBy(() -> b.state().replaceEndpoint(new Journal("test"), seen, seen.withDefaultRoute(false)))
                .isInstanceOf(ConcurrentChangeException.class);
        assertThat(b.state().endpoint("n", "c1")).contains(fresh);
        b.state().replaceEndpoint(new Journal("test"), fresh, fresh.withDefaultRoute(false));
        assertThat(b.state().endpoint("n", "c1")).contains(fresh.withDefaultRoute(false));
    }

    @Test
    void anIndexEntryOfAContainerConnectedAgainIsNotDeleted() {
        b.connect("n", box("c1"));
        String endpointKey = State.endpointKey("n", "c1");
        // the pass has read the index (c1 on n); b disconnects c1, the pass finds no record of it,
        // and b connects c1 again (a new record, a new index entry) before the pass acts
        hooked.afterRead(State.CONTAINERS::equals, () -> {
            b.disconnect("n", "c1");
            hooked.afterRead(endpointKey::equals, () -> b.connect("n", root.namespaces().open("c1")));
        });
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's reconnect is not a finding").isEmpty();
        assertThat(b.state().endpointsOf("c1")).as("c1's endpoint through its index").hasSize(1);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aDeadMacvlanConnectsRollBackLeavesTheSameNameOfAnotherEndpointAlone() {
        World w = new World(tmp.resolve("mv"));
        w.host.dummy("uplink0").up().create();
        w.host.dummy("uplink1").up().create();
        w.networks.create("lan").driver(DriverKind.MACVLAN).parent("uplink0").subnet("192.168.50.0/24").create();
        w.networks.create("lan2").driver(DriverKind.MACVLAN).parent("uplink1").subnet("192.168.51.0/24").create();
        Namespace box = w.box("flat1");
        // the first process dies right after its note (which names eth0 in flat1), before making anything
        w.store.failNthWrite(3, NetworksTest.Crash::new); // (the container's lock, the note)
        assertThatThrownBy(() -> w.networks.connect("lan", box)).isInstanceOf(NetworksTest.Crash.class);
        assertThat(w.store.list(State.PENDING)).as("the dead connect's note").hasSize(1);
        assertThat(w.root.in(box).findLink("eth0")).as("nothing made").isEmpty();
        // another process gives the free name eth0 in flat1 to its own endpoint, on another network
        Networks other = w.open();
        other.connect("lan2", box);
        int index = w.root.in(box).link("eth0").info().index();
        ReconcileReport report = other.reconcile(true);
        assertThat(report.findings()).as("the dead connect, rolled back").hasSize(1);
        assertThat(w.root.in(box).findLink("eth0")).as("the other endpoint's eth0, untouched")
                .hasValueSatisfying(l -> assertThat(l.index()).isEqualTo(index));
        assertThat(other.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aDeadMacvlanConnectsRollBackLeavesABridgeConnectUnderWayAlone() {
        World w = new World(tmp.resolve("mv2"));
        w.host.dummy("uplink0").up().create();
        w.networks.create("lan").driver(DriverKind.MACVLAN).parent("uplink0").subnet("192.168.50.0/24").create();
        w.networks.create("br").subnet("10.209.0.0/24").create();
        Namespace box = w.box("flat1");
        // the first process dies right after its note (which names eth0 in flat1), before making anything
        w.store.failNthWrite(3, NetworksTest.Crash::new); // (the container's lock, the note)
        assertThatThrownBy(() -> w.networks.connect("lan", box)).isInstanceOf(NetworksTest.Crash.class);
        // another process connects flat1 to bridge network br and takes the free name eth0 for its
        // veth's peer; the pass runs after the veth is made, before the connect writes its record
        HookedStore slow = new HookedStore(w.store);
        Networks other = Networks.builder(w.host).store(slow).etcNetns(w.etc).open();
        ReconcileReport[] report = new ReconcileReport[1];
        int[] index = new int[1];
        slow.beforeWrite(State.endpointKey("br", "flat1")::equals, () -> {
            index[0] = w.root.in(box).link("eth0").info().index();
            report[0] = w.open().reconcile(true);
        });
        other.connect("br", box);
        assertThat(report[0].findings()).as("the dead connect, rolled back").hasSize(1);
        assertThat(w.root.in(box).findLink("eth0")).as("the bridge endpoint's eth0, untouched")
                .hasValueSatisfying(l -> assertThat(l.index()).isEqualTo(index[0]));
        assertThat(w.open().reconcile(false).isClean()).isTrue();
    }

    /**
     * A container-side link a dead operation's note names alone is a macvlan it was making; a veth
     * by that name is not its (an overlay endpoint's gateway interface, chosen during attach and so
     * in no note, or the user's own), and its roll-back leaves it alone.
     */
    @Test
    void aDeadMacvlanConnectsRollBackLeavesAVethThatTookItsNameAlone() {
        World w = new World(tmp.resolve("mv3"));
        w.host.dummy("uplink0").up().create();
        w.networks.create("lan").driver(DriverKind.MACVLAN).parent("uplink0").subnet("192.168.51.0/24").create();
        Namespace box = w.box("flat2");
        w.store.failNthWrite(3, NetworksTest.Crash::new); // (the container's lock, the note)
        assertThatThrownBy(() -> w.networks.connect("lan", box)).isInstanceOf(NetworksTest.Crash.class);
        w.host.veth("nlgtest0").up().peer("eth0", p -> p.namespace(box).up()).create();
        int index = w.root.in(box).link("eth0").info().index();
        assertThat(w.open().reconcile(true).findings()).as("the dead connect, rolled back").hasSize(1);
        assertThat(w.root.in(box).findLink("eth0")).as("the veth, untouched").hasValueSatisfying(l -> assertThat(l.index()).isEqualTo(index));
    }

    @Test
    void anEndpointConnectedAfterThePassReadTheIndexIsNotReported() {
        Namespace c2 = box("c2");
        // b's connect writes the record, then the index entry: both after the pass read the index
        hooked.afterRead(State.CONTAINERS::equals, () -> b.connect("n", c2));
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's connect is not a finding").isEmpty();
        assertThat(b.state().endpointsOf("c2")).hasSize(1);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * Another process connects a container each time the pass reads the endpoints. The lease check
     * read the endpoints, then the leases: a connect that ended in between had a lease and no
     * endpoint in the pass's view, and its operation was over (as a dead process's is), so the pass
     * deleted a live endpoint's lease and the address could be handed out twice.
     */
    @Test
    void theLeaseOfAnEndpointConnectedWhileThePassReadsIsNeverDeleted() {
        List<Namespace> boxes = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boxes.add(box("r" + i));
        }
        int[] next = {0};
        Runnable[] connectAtEachRead = new Runnable[1];
        connectAtEachRead[0] = () -> {
            if (next[0] < boxes.size()) {
                b.connect("n", boxes.get(next[0]++));
                hooked.afterRead(State.ENDPOINTS::equals, connectAtEachRead[0]);
            }
        };
        hooked.afterRead(State.ENDPOINTS::equals, connectAtEachRead[0]);
        ReconcileReport report = a.reconcile(true);
        assertThat(next[0]).as("connects made during the pass").isGreaterThan(1);
        for (Endpoint e : b.endpoints("n")) {
            assertThat(b.state().store().get(State.leaseKey("n", e.address()))).as("lease of %s (report: %s)", e.ip(), report).isPresent();
        }
        assertThat(report.findings()).as("connects of another process are not findings").isEmpty();
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * Two processes publish a port each on one endpoint at once: b's publish lands between a's read
     * of the endpoint and a's write of it. a wrote its record from what it read, with its own port
     * and without b's, over b's record: b's port stayed in the kernel, in no record (and reconcile
     * would take it away). Now a's write refuses a record that is no longer the one it read; a rolls
     * back its rule and starts again from b's record: both ports end up published and recorded.
     */
    @Test
    void aPublishNeverWritesItsRecordOverAnotherProcesssPublishOnTheSameEndpoint() {
        b.connect("n", box("c1"));
        Endpoint seenByA = a.findEndpoint("n", "c1").orElseThrow();
        hooked.afterRead(State.endpointKey("n", "c1")::equals, () -> b.findEndpoint("n", "c1").orElseThrow().publish("9090:90"));
        assertThat(seenByA.publish("8080:80").ports()).containsExactly("9090:90", "8080:80");
        assertThat(b.findEndpoint("n", "c1").orElseThrow().ports()).containsExactly("9090:90", "8080:80");
        assertThat(host.nat().list()).filteredOn(r -> r.spec() instanceof DnatRule).extracting(r -> ((DnatRule) r.spec()).hostPortFirst())
                .containsExactlyInAnyOrder(9090, 8080);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * b's change of c1's record failed after it wrote it and put the old value back (a rollback):
     * the record has the value a planned on, and a new version, so a's write over the version it
     * read is refused. a gave up ("changed by another process meanwhile") as if nobody had written
     * the record, as one of three JVMs publishing on one endpoint did in NetworksAtOnceKernelTest;
     * now it starts again. b's write is put at each of a's reads of the record in turn.
     */
    @Test
    void aPublishGoesOnWhenAnotherProcessWroteTheRecordBackAsItWas() {
        b.connect("n", box("c1"));
        String key = State.endpointKey("n", "c1");
        int fired = 0;
        for (int nth = 1; nth <= 6; nth++) {
            Endpoint seenByA = a.findEndpoint("n", "c1").orElseThrow();
            int[] reads = new int[1];
            boolean[] ran = new boolean[1];
            int at = nth;
            hooked.afterRead(k -> k.equals(key) && ++reads[0] == at, () -> {
                Versioned now = two.hooked.get(key).orElseThrow();
                assertThat(two.hooked.compareAndSet(key, now.version(), now.value())).as("b's write back").isPresent();
                ran[0] = true;
            });
            String port = (8000 + nth) + ":80";
            assertThat(seenByA.publish(port).ports()).as("a's publish with b's write after a's read %d", nth).contains(port);
            hooked.afterRead(k -> false, () -> {});
            fired += ran[0] ? 1 : 0;
        }
        assertThat(fired).as("b's write came after a's reads of the record").isGreaterThanOrEqualTo(2);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /** The same with an unpublish: b publishes a port while a unpublishes another; a starts again from b's record. */
    @Test
    void anUnpublishNeverWritesItsRecordOverAnotherProcesssPublishOnTheSameEndpoint() {
        b.endpoint("n", box("c1")).publish("7070:70").connect();
        Endpoint seenByA = a.findEndpoint("n", "c1").orElseThrow();
        hooked.afterRead(State.endpointKey("n", "c1")::equals, () -> b.findEndpoint("n", "c1").orElseThrow().publish("9090:90"));
        assertThat(seenByA.unpublish("7070:70").ports()).containsExactly("9090:90");
        assertThat(host.nat().list()).filteredOn(r -> r.spec() instanceof DnatRule).extracting(r -> ((DnatRule) r.spec()).hostPortFirst())
                .containsExactly(9090);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * a disconnects c1 while b disconnects it and connects it again (a new endpoint at the same
     * key): a's removal deleted the record that was there when it got to it, b's new one, and b's
     * veth stayed on the bridge with no record. Now a deletes only the record it read, and gives way.
     */
    @Test
    void aDisconnectNeverDeletesTheRecordOfTheEndpointConnectedAgainMeanwhile() {
        Namespace c1 = box("c1");
        b.connect("n", c1);
        hooked.afterRead(State.endpointKey("n", "c1")::equals, () -> {
            b.disconnect("n", "c1");
            b.connect("n", c1);
        });
        assertThatThrownBy(() -> a.disconnect("n", "c1")).isInstanceOf(ConcurrentChangeException.class);
        Endpoint again = b.findEndpoint("n", "c1").orElseThrow();
        assertThat(host.findLink(again.config().hostIfName())).isPresent();
        assertThat(portsOfTheBridge()).isEqualTo(1);
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * A network created by another process right after the pass read the subnet leases: its record
     * is in the pass's read of the networks, its lease was not in the one before. That is b's
     * creation, not a network without its subnet (the repair's reservation then failed, and the
     * report said so).
     */
    @Test
    void aNetworkCreatedAfterThePassReadTheSubnetLeasesIsNotReported() {
        hooked.afterRead(dev.netlib.ipam.SubnetAllocator.KEY::equals, () -> b.create("late").create());
        ReconcileReport report = a.reconcile(true);
        assertThat(report.findings()).as("b's creation is not a finding").isEmpty();
        assertThat(a.network("late")).isNotNull();
        assertThat(a.reconcile(false).isClean()).isTrue();
    }

    /**
     * A connect that began after the pass read the notes stands between its record and its index
     * entry (and its hosts files) while the pass goes on: its own work, not findings. The hosts
     * files lagged the records, and the pass reported the network's file as differing from the
     * store and rewrote it (the "phantom" hosts-file findings of a reconcile beside live work).
     */
    @Test
    void aConnectBetweenItsRecordAndItsFilesIsNotReported() throws Exception {
        Pause atIndex = new Pause();
        Networks c = processStoppingBefore(State.indexKey("c3", "n"), atIndex);
        Namespace c3 = box("c3");
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            hooked.afterRead(State.CONTAINERS::equals, () -> {
                pool.submit(() -> c.connect("n", c3)); // begins after the pass read the notes
                atIndex.awaitReached();
            });
            ReconcileReport report = a.reconcile(true);
            atIndex.release();
            assertThat(report.findings()).as("c's connect is not a finding").isEmpty();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(c.state().endpointsOf("c3")).hasSize(1);
            assertThat(a.reconcile(false).isClean()).isTrue();
        } finally {
            atIndex.release();
            pool.shutdownNow();
        }
    }

    /**
     * As above, but the connect writes its index entry and ends just after the pass's second look
     * read that entry (absent). The second look read the entry, then the record, then the notes: the
     * connect was in none of them (no entry yet, then no note any more), and the pass reported
     * the index as missing the endpoint (seen by the three-JVM test on the kernel). It now reads the
     * notes first.
     */
    @Test
    void aConnectThatEndsDuringTheSecondLookAtItsIndexEntryIsNotReported() throws Exception {
        Pause atIndex = new Pause();
        String indexKey = State.indexKey("c3", "n");
        Networks c = processStoppingBefore(indexKey, atIndex);
        Namespace c3 = box("c3");
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        var connect = new java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<Endpoint>>();
        try {
            hooked.afterRead(State.CONTAINERS::equals, () -> {
                connect.set(pool.submit(() -> c.connect("n", c3))); // begins after the pass read the notes
                atIndex.awaitReached();
                // (a second look that reads the notes first skips the endpoint: no read of the entry)
                hooked.afterRead(indexKey::equals, () -> { // the second look's read of the entry: absent
                    atIndex.release();
                    try {
                        connect.get().get(10, java.util.concurrent.TimeUnit.SECONDS); // its entry written, its note gone
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            });
            ReconcileReport report = a.reconcile(false);
            assertThat(report.findings()).as("c's connect is not a finding").isEmpty();
            atIndex.release();
            connect.get().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.state().endpointsOf("c3")).hasSize(1);
            assertThat(a.reconcile(false).isClean()).isTrue();
        } finally {
            atIndex.release();
            pool.shutdownNow();
        }
    }

    /** A third process on the same store and /etc/netns whose next write of {@code key} waits at {@code pause}. */
    private Networks processStoppingBefore(String key, Pause pause) {
        HookedStore store = new HookedStore(FileIpamStore.open(tmp.resolve("store")));
        store.beforeWrite(key::equals, pause::hold);
        return Networks.builder(host).store(store).etcNetns(tmp.resolve("etc")).open();
    }
}
