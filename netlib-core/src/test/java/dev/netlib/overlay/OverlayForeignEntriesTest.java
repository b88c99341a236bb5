package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries on the tunnel device that netlib did not write, on FakeKernel, one {@link OverlayKernel}
 * driven directly. An entry whose address or MAC an advert claims is the overlay's and is repaired
 * whoever wrote it, recorded or not; any other entry is the user's unless the record proves netlib
 * wrote it, and is never touched. Entries on another VLAN of the tunnel port, or with another VNI in
 * the VXLAN's table, are never netlib's. The VLAN cases run on {@link FakeKernel#withBridgeVlanFiltering()},
 * a kernel whose bridge ports have VLAN 1.
 */
class OverlayForeignEntriesTest {
    private static final String PEER_IP = "10.0.0.3";
    private static final String PEER_MAC = "02:42:0a:00:00:03";
    private static final String PEER_VTEP = "10.99.0.3";
    private static final String USER_MAC = "02:00:00:00:00:99";
    private static final OverlayNetwork NET = DirectKernelSide.NET;
    private static final String DEV = NET.vxlanName();

    @TempDir
    Path records;
    private Netlib host;

    @BeforeEach
    void host() {
        host(new FakeKernel());
    }

    /** The host on {@code kernel}: an uplink eth0 with the VTEP's address. */
    private void host(FakeKernel kernel) {
        if (host != null) {
            host.close();
        }
        host = DirectKernelSide.host(kernel);
    }

    /** An agent's kernel side, with the record of entries it wrote under {@code records}; devices made. */
    private OverlayKernel kernel() {
        return DirectKernelSide.kernel(host, records);
    }

    private static List<EndpointAdvert> peer() {
        return List.of(new EndpointAdvert(NET.id(), "ep3", HostId.of("h3"), IpAddresses.parse(PEER_VTEP), IpAddresses.parse(PEER_IP),
                MacAddress.parse(PEER_MAC), "web02", "boot", List.of()));
    }

    private List<String> neighbours() {
        return host.neighbors().list().stream().filter(n -> n.device().equals(DEV))
                .map((NeighborInfo n) -> IpAddresses.format(n.address()) + " " + n.mac() + " " + n.states()).sorted().toList();
    }

    /** The VXLAN's own table: MAC, VTEP and, where the kernel reports one, the VNI. */
    private List<String> fdb() {
        return host.fdb().list(DEV).stream().filter(f -> f.self() && !f.master())
                .map(f -> f.mac() + " " + IpAddresses.format(f.destination()) + (f.vni() == null ? "" : " vni " + f.vni())).sorted().toList();
    }

    /** The bridge's entries on the tunnel port (not the port's own permanent ones), with their vlan. */
    private List<String> bridgeEntries() {
        return host.fdb().list(DEV).stream().filter(f -> f.master() && !f.self() && !f.isPermanent())
                .map(f -> f.mac() + " vlan " + f.vlan() + (f.states().contains(NeighborState.NOARP) ? " static" : " " + f.states())).sorted()
                .toList();
    }

    @Test
    void aClaimedNeighbourWithAnotherMacThatNoRecordNamesIsRewrittenAndThenNetlibs() {
        OverlayKernel k = kernel();
        host.neighbors().replace(DEV, PEER_IP, USER_MAC); // written before an advert claimed the address (or by a run without a record)
        assertThat(k.syncPeers(NET, peer(), true)).as("a difference, though the record does not name the entry")
                .contains(DEV + ": neighbour " + PEER_IP + " is " + USER_MAC + " [PERMANENT], want " + PEER_MAC + " permanent");
        assertThat(neighbours()).as("a dry run writes nothing").containsExactly(PEER_IP + " " + USER_MAC + " [PERMANENT]");

        k.syncPeers(NET, peer(), false);
        assertThat(neighbours()).as("the advert's MAC").containsExactly(PEER_IP + " " + PEER_MAC + " [PERMANENT]");
        assertThat(k.syncPeers(NET, peer(), false)).isEmpty();
        k.syncPeers(NET, List.of(), false); // the peer leaves: the rewritten entry is netlib's now, and goes with it
        assertThat(neighbours()).isEmpty();
    }

    @Test
    void netlibsOwnEntriesRewrittenByTheUserWhileStillClaimedAreRepaired() {
        OverlayKernel k = kernel();
        k.syncPeers(NET, peer(), false);
        host.neighbors().replace(DEV, PEER_IP, USER_MAC);
        host.fdb().entry(DEV, PEER_MAC).destination("10.99.0.9").self().replace();
        host.fdb().entry(DEV, PEER_MAC).master().dynamic().replace();
        assertThat(k.syncPeers(NET, peer(), true)).hasSize(4); // neighbour; stray and missing VTEP; dynamic bridge entry
        k.syncPeers(NET, peer(), false);
        assertThat(neighbours()).containsExactly(PEER_IP + " " + PEER_MAC + " [PERMANENT]");
        assertThat(fdb()).containsExactly(PEER_MAC + " " + PEER_VTEP);
        assertThat(bridgeEntries()).containsExactly(PEER_MAC + " vlan 0 static");
        assertThat(k.syncPeers(NET, peer(), true)).isEmpty();
    }

    @Test
    void aClaimedMacToAnotherVtepOrVniThatNoRecordNamesIsReplaced() {
        OverlayKernel k = kernel();
        host.fdb().entry(DEV, PEER_MAC).destination("10.99.0.9").vni(200).self().add();
        assertThat(fdb()).containsExactly(PEER_MAC + " 10.99.0.9 vni 200");
        assertThat(k.syncPeers(NET, peer(), true)).contains(DEV + ": stray fdb " + PEER_MAC + " dst 10.99.0.9",
                DEV + ": missing fdb " + PEER_MAC + " dst " + PEER_VTEP);
        k.syncPeers(NET, peer(), false);
        assertThat(fdb()).containsExactly(PEER_MAC + " " + PEER_VTEP);

        host.fdb().entry(DEV, PEER_MAC).destination(PEER_VTEP).vni(200).self().replace(); // the right VTEP, on another VNI
        assertThat(k.syncPeers(NET, peer(), true)).as("frames would leave on VNI 200").contains(DEV + ": stray fdb " + PEER_MAC + " dst " + PEER_VTEP);
        k.syncPeers(NET, peer(), false);
        assertThat(fdb()).containsExactly(PEER_MAC + " " + PEER_VTEP);
        k.syncPeers(NET, List.of(), false);
        assertThat(fdb()).as("netlib's, so gone with its peer").isEmpty();
    }

    @Test
    void unclaimedEntriesNoRecordNamesAreTheUsersAndNoDifference() {
        OverlayKernel k = kernel();
        host.neighbors().replace(DEV, "10.0.0.77", USER_MAC);
        host.fdb().entry(DEV, USER_MAC).destination("10.99.0.9").self().add();
        host.fdb().entry(DEV, "02:00:00:00:00:98").master().staticEntry().add();
        List<String> before = List.of(neighbours().toString(), fdb().toString(), bridgeEntries().toString());
        assertThat(k.syncPeers(NET, peer(), false)).noneMatch(d -> d.contains("10.0.0.77") || d.contains(USER_MAC) || d.contains(":98"));
        assertThat(k.syncPeers(NET, List.of(), true)).noneMatch(d -> d.contains("10.0.0.77") || d.contains(USER_MAC) || d.contains(":98"));
        k.syncPeers(NET, List.of(), false);
        assertThat(List.of(neighbours().toString(), fdb().toString(), bridgeEntries().toString())).as("the user's entries, untouched").isEqualTo(before);
        assertThat(k.syncPeers(NET, List.of(), true)).isEmpty();
    }

    @Test
    void aForeignVniRemoteOfARecordedVtepIsNotNetlibs() {
        OverlayKernel k = kernel();
        k.syncPeers(NET, peer(), false); // recorded: PEER_MAC to PEER_VTEP
        host.fdb().entry(DEV, PEER_MAC).destination(PEER_VTEP).vni(200).self().replace(); // rewritten by the user onto VNI 200
        assertThat(k.syncPeers(NET, List.of(), true)).as("the peer left, but the entry is not the one netlib wrote")
                .noneMatch(d -> d.contains("fdb " + PEER_MAC + " dst"));
        k.syncPeers(NET, List.of(), false);
        assertThat(fdb()).containsExactly(PEER_MAC + " " + PEER_VTEP + " vni 200");
    }

    @Test
    void bridgeEntriesOnAnotherVlanAreNeitherNetlibsNorTakenForIt() {
        host(FakeKernel.withBridgeVlanFiltering());
        OverlayKernel k = kernel();
        host.fdb().entry(DEV, PEER_MAC).master().staticEntry().vlan(1).add(); // the user's, before any peer
        host.fdb().entry(DEV, USER_MAC).master().staticEntry().vlan(1).add();
        assertThat(bridgeEntries()).containsExactly(USER_MAC + " vlan 1 static", PEER_MAC + " vlan 1 static");
        assertThat(k.syncPeers(NET, peer(), true)).as("the claimed MAC's vlan 1 entry does not stand for netlib's on vlan 0")
                .contains(DEV + ": missing bridge fdb " + PEER_MAC).noneMatch(d -> d.contains(USER_MAC));
        k.syncPeers(NET, peer(), false);
        assertThat(bridgeEntries()).containsExactly(USER_MAC + " vlan 1 static", PEER_MAC + " vlan 0 static", PEER_MAC + " vlan 1 static");
        assertThat(k.syncPeers(NET, peer(), true)).isEmpty();
        assertThat(k.syncPeers(NET, List.of(), true)).as("only vlan 0 entries are compared").noneMatch(d -> d.contains(USER_MAC));
        k.syncPeers(NET, List.of(), false);
        assertThat(bridgeEntries()).as("the delete without a vlan takes the port's vlans of the MAC netlib wrote, and no other MAC")
                .containsExactly(USER_MAC + " vlan 1 static");
    }

    @Test
    void netlibsBridgeEntryGoesWithTheCopiesItsAddWroteOnThePortsVlans() {
        host(FakeKernel.withBridgeVlanFiltering());
        OverlayKernel k = kernel();
        k.syncPeers(NET, peer(), false);
        assertThat(bridgeEntries()).as("br_fdb_add() without NDA_VLAN writes vlan 0 and every vlan of the port")
                .containsExactly(PEER_MAC + " vlan 0 static", PEER_MAC + " vlan 1 static");
        assertThat(k.syncPeers(NET, List.of(), true)).contains(DEV + ": stray bridge fdb " + PEER_MAC + " [NOARP]");
        k.syncPeers(NET, List.of(), false); // the peer leaves
        assertThat(bridgeEntries()).as("netlib's vlan 1 copy does not keep its entry").isEmpty();
        assertThat(k.syncPeers(NET, List.of(), true)).isEmpty();
    }
}
