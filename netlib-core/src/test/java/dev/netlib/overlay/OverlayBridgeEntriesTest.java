package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static entries of the bridge's table on the tunnel port ({@code bridge fdb ... dev nlv-V master
 * static}), on FakeKernel, one {@link OverlayKernel} driven directly: only those netlib's record proves
 * it wrote are ever deleted, also by an agent restarted on the record it left on file; anyone else's
 * stay, and are no difference.
 */
class OverlayBridgeEntriesTest {
    private static final String PEER_MAC = "02:42:0a:00:00:03";
    private static final String USER_MAC = "02:00:00:00:00:97";
    private static final OverlayNetwork NET = DirectKernelSide.NET;
    private static final String DEV = NET.vxlanName();

    @TempDir
    Path records;
    private Netlib host;

    @BeforeEach
    void host() {
        host = DirectKernelSide.host(new FakeKernel());
    }

    /** An agent's kernel side, with the record of entries it wrote under {@code records}; devices made. */
    private OverlayKernel kernel() {
        return DirectKernelSide.kernel(host, records);
    }

    private static List<EndpointAdvert> peer(String mac) {
        return List.of(new EndpointAdvert(NET.id(), "ep3", HostId.of("h3"), IpAddresses.parse("10.99.0.3"), IpAddresses.parse("10.0.0.3"),
                MacAddress.parse(mac), "web02", "boot", List.of()));
    }

    /** The bridge's static entries on the tunnel port, by MAC. */
    private List<String> bridgeEntries() {
        return host.fdb().list(DEV).stream().filter(f -> f.master() && !f.self() && !f.isPermanent())
                .map((FdbInfo f) -> f.mac() + (f.states().contains(NeighborState.NOARP) ? " static" : " " + f.states())).sorted().toList();
    }

    private void userAdds(String mac) {
        host.fdb().entry(DEV, mac).master().staticEntry().add(); // bridge fdb add MAC dev nlv-V master static
    }

    private String recordOnFile() throws Exception {
        Path file = records.resolve(DEV);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void aForeignStaticEntryOnTheTunnelPortSurvivesEverySyncAndOursGoesWithItsPeer() throws Exception {
        OverlayKernel k = kernel();
        assertThat(k.syncPeers(NET, peer(PEER_MAC), false)).contains(DEV + ": missing bridge fdb " + PEER_MAC);
        assertThat(recordOnFile()).contains("bridge " + PEER_MAC + "\n");
        userAdds(USER_MAC);
        assertThat(k.syncPeers(NET, peer(PEER_MAC), false)).as("someone else's entry is no difference").isEmpty();
        assertThat(bridgeEntries()).containsExactly(USER_MAC + " static", PEER_MAC + " static");

        assertThat(k.syncPeers(NET, List.of(), true)).as("dry run: only netlib's entry is stray")
                .contains(DEV + ": stray bridge fdb " + PEER_MAC + " [NOARP]").noneMatch(d -> d.contains(USER_MAC));
        assertThat(bridgeEntries()).as("a dry run changes nothing").containsExactly(USER_MAC + " static", PEER_MAC + " static");
        assertThat(recordOnFile()).as("nor the record").contains("bridge " + PEER_MAC + "\n");

        k.syncPeers(NET, List.of(), false); // the peer left
        assertThat(bridgeEntries()).as("netlib's entry gone with its peer, the user's left alone").containsExactly(USER_MAC + " static");
        assertThat(recordOnFile()).doesNotContain("bridge ");
        assertThat(k.syncPeers(NET, List.of(), false)).isEmpty();
    }

    @Test
    void aRestartedAgentDeletesTheBridgeEntriesItsRecordNamesAndOnlyThose() {
        kernel().syncPeers(NET, peer(PEER_MAC), false);
        userAdds(USER_MAC);
        // the agent stops, its peer leaves meanwhile; a new one reads the record on file
        OverlayKernel again = kernel();
        assertThat(again.syncPeers(NET, List.of(), true)).contains(DEV + ": stray bridge fdb " + PEER_MAC + " [NOARP]")
                .noneMatch(d -> d.contains(USER_MAC));
        again.syncPeers(NET, List.of(), false);
        assertThat(bridgeEntries()).containsExactly(USER_MAC + " static");
    }

    @Test
    void aRecordOfThePreviousFormatLoadsAndProvesNoBridgeEntry() throws Exception {
        kernel().syncPeers(NET, peer(PEER_MAC), false);
        String old = recordOnFile().replace("bridge " + PEER_MAC + "\n", ""); // what the version before bridge records wrote
        assertThat(old).contains("neigh 10.0.0.3 " + PEER_MAC);
        Files.writeString(records.resolve(DEV), old);
        OverlayKernel again = kernel();
        again.syncPeers(NET, List.of(), false);
        assertThat(bridgeEntries()).as("not provably netlib's: left alone").containsExactly(PEER_MAC + " static");
        assertThat(host.neighbors().list()).as("the old record's neighbour still proved and deleted").noneMatch(n -> n.device().equals(DEV));
    }

    @Test
    void anEntryTheUserWroteBeforeAnAdvertClaimedItIsWrittenAgainAndThenOurs() throws Exception {
        OverlayKernel k = kernel();
        userAdds(PEER_MAC);
        assertThat(k.syncPeers(NET, peer(PEER_MAC), false)).as("right already: no difference").noneMatch(d -> d.contains("bridge"));
        assertThat(recordOnFile()).as("written again, so recorded").contains("bridge " + PEER_MAC + "\n");
        k.syncPeers(NET, List.of(), false);
        assertThat(bridgeEntries()).isEmpty();
    }

    @Test
    void anEntryDeletedOrRewrittenBySomeoneElseLeavesTheRecord() throws Exception {
        OverlayKernel k = kernel();
        k.syncPeers(NET, peer(PEER_MAC), false);
        host.fdb().entry(DEV, PEER_MAC).master().delete(); // someone deletes netlib's entry ...
        k.syncPeers(NET, List.of(), false); // ... and the peer leaves
        assertThat(recordOnFile()).doesNotContain("bridge ");
        userAdds(PEER_MAC); // the same entry again, now the user's
        k.syncPeers(NET, List.of(), false);
        assertThat(bridgeEntries()).as("an identical entry written later by someone else is theirs").containsExactly(PEER_MAC + " static");

        host.fdb().entry(DEV, PEER_MAC).master().delete();
        k.syncPeers(NET, peer(PEER_MAC), false);
        host.fdb().entry(DEV, PEER_MAC).master().dynamic().replace(); // netlib's static entry made dynamic by someone
        k.syncPeers(NET, List.of(), false);
        assertThat(bridgeEntries()).as("rewritten: not netlib's any more").containsExactly(PEER_MAC + " [REACHABLE]");
        assertThat(recordOnFile()).doesNotContain("bridge ");
    }

    @Test
    void aClaimedMacWithADynamicEntryIsMadeStatic() {
        OverlayKernel k = kernel();
        host.fdb().entry(DEV, PEER_MAC).master().dynamic().add();
        assertThat(k.syncPeers(NET, peer(PEER_MAC), false)).contains(DEV + ": bridge fdb " + PEER_MAC + " is [REACHABLE], want static");
        assertThat(bridgeEntries()).containsExactly(PEER_MAC + " static");
        assertThat(k.syncPeers(NET, peer(PEER_MAC), false)).isEmpty();
    }
}
