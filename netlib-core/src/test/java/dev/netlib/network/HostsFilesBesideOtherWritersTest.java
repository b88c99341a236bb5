package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The own hosts file of a container on several networks lists its peers, so the operations of
 * other containers write it too, without its container's lock. Here process a connects c3 to n0,
 * whose container c1 is also on n1, and stops just after it read c1's records to write c1's file;
 * process b changes c1 (or a peer of it) at that moment; then a writes. Every case ended with a
 * file that differs from the records (found, about once in 100 runs of ManyWritersFakeTest, by a
 * reconcile among the writers); the last corrupted the network's file that n0's containers share.
 */
class HostsFilesBesideOtherWritersTest {
    @TempDir
    Path tmp;

    private TwoWriters two;
    private Namespace c1;

    @BeforeEach
    void setUp() {
        two = new TwoWriters(tmp, "nlh-host");
        two.a.create("n0").subnet("10.220.0.0/24").create();
        two.a.create("n1").subnet("10.221.0.0/24").create();
        c1 = two.box("c1");
        two.a.connect("n0", c1);
        two.a.connect("n1", c1);
        two.box("c2");
        two.box("c3");
    }

    /** Right after a read c1's endpoints on n1 (the last of its reads for c1's file), runs {@code meanwhile} as b. */
    private void connectC3To_n0_with(Runnable meanwhile) {
        boolean[] ran = new boolean[1];
        two.hooked.afterRead(k -> k.equals(State.ENDPOINTS + "n1/"), () -> {
            meanwhile.run();
            ran[0] = true;
        });
        two.a.connect("n0", two.root.namespaces().open("c3"));
        assertThat(ran[0]).as("b's change came between a's read of c1's records and a's write").isTrue();
    }

    /**
     * b disconnects c1 from n1: c1's name becomes a link to n0's file. a's write of c1's own file,
     * made from what it read before, took the link away again (c1 no longer shared n0's file), or,
     * opened just after the link was made, went through it into n0's file: every container on n0
     * then read c1's own list of names (both of c1's addresses, its peers on n1).
     */
    @Test
    void aPeersWriteNeverGoesIntoTheNetworksFileTheContainersNameHasBecome() {
        connectC3To_n0_with(() -> two.b.disconnect("n1", "c1"));
        assertThat(two.a.reconcile(false).findings()).isEmpty();
        assertThat(hostsOf("c1")).contains("10.220.0.2\tc1", "10.220.0.3\tc3").doesNotContain("10.221.");
    }

    /** b disconnects c1 from both networks: a's write made c1's file again, for a container without endpoints. */
    @Test
    void aPeersWriteDoesNotMakeAgainTheFileOfAContainerThatLeftMeanwhile() {
        connectC3To_n0_with(() -> two.b.disconnectAll("c1"));
        assertThat(two.a.reconcile(false).findings()).isEmpty();
        assertThat(tmp.resolve("etc/c1/hosts")).doesNotExist();
    }

    /** b connects c2 to n1 (and writes c2 into c1's file); a's later write, from before, took that line out again. */
    @Test
    void aPeersWriteFromRecordsReadBeforeAnotherChangeIsWrittenAgain() {
        connectC3To_n0_with(() -> two.b.connect("n1", two.root.namespaces().open("c2")));
        assertThat(two.a.reconcile(false).findings()).isEmpty();
        assertThat(hostsOf("c1")).contains("10.221.0.3\tc2", "10.220.0.3\tc3");
    }

    /**
     * a disconnects c3 from n0 and fails as it gives back c3's address, after it wrote c1's file
     * without c3. Its rollback puts c3's record back; b connects c2 to n1 just before that, and
     * writes c1's file from records still without c3. The rollback writes the files last, from the
     * records as they are once put back; had it written c1's file before putting the record back (an
     * undo in the order of the steps), c1's file would have stayed without c3.
     */
    @Test
    void aFailedOperationWritesThePeersFilesAfterItsRecordsAreBack() {
        two.a.connect("n0", two.root.namespaces().open("c3"));
        two.hooked.beforeWrite(k -> k.startsWith(State.LEASES + "n0/"), () -> {
            two.hooked.beforeWrite(State.endpointKey("n0", "c3")::equals, () -> two.b.connect("n1", two.root.namespaces().open("c2")));
            throw new IllegalStateException("injected failure");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> two.a.disconnect("n0", "c3")).hasMessageContaining("injected");
        assertThat(two.a.findEndpoint("n0", "c3")).isPresent();
        assertThat(two.a.reconcile(false).findings()).isEmpty();
        assertThat(hostsOf("c1")).contains("10.220.0.3\tc3", "10.221.0.3\tc2");
    }

    /**
     * b disconnects c3 from n2 and read n2's definition before it took c3's lock; meanwhile a
     * removed n2, created another n2 and connected c3 to it. The disconnect removed that endpoint
     * but dropped c3's line from the removed network's file: the new n2's file kept it, for no
     * endpoint (and outlived the network). The disconnect now reads the network after the endpoint.
     */
    @Test
    void aDisconnectBesideTheNetworksRemovalAndCreationAgainWorksOnTheNewNetwork() {
        two.a.create("n2").subnet("10.222.0.0/24").create();
        Namespace c3 = two.root.namespaces().open("c3");
        HookedStore bStore = new HookedStore(dev.netlib.ipam.FileIpamStore.open(tmp.resolve("store")));
        Networks b = Networks.builder(two.host).store(bStore).etcNetns(tmp.resolve("etc")).open();
        bStore.beforeWrite(StoreLock.container("c3")::equals, () -> {
            two.a.remove("n2");
            two.a.create("n2").subnet("10.223.0.0/24").create();
            two.a.connect("n2", c3);
        });
        b.disconnect("n2", "c3");
        assertThat(two.a.findEndpoint("n2", "c3")).isEmpty();
        assertThat(two.a.reconcile(false).findings()).isEmpty();
        two.a.remove("n2");
        assertThat(two.a.reconcile(false).findings()).isEmpty();
    }

    /**
     * A container's removal of its name (a link to its network's file) looks for that network's
     * file among the networks' files; one of them went with its last line between the listing and
     * the look (here: a name that leads nowhere, which the look cannot follow either). The removal
     * took that for its own name gone and left the name, for a container without endpoints.
     */
    @Test
    void aNetworksFileGoneDuringTheLookForTheTwinDoesNotKeepAContainersName() throws Exception {
        two.a.create("n2").subnet("10.224.0.0/24").create();
        two.a.connect("n2", two.root.namespaces().open("c3"));
        Path networksDir = tmp.resolve("etc").resolve(NetworkHostsFiles.DIR);
        Files.createSymbolicLink(networksDir.resolve("0123456789ab"), networksDir.resolve("gone"));
        two.b.disconnect("n2", "c3");
        assertThat(tmp.resolve("etc/c3/hosts")).doesNotExist();
        Files.delete(networksDir.resolve("0123456789ab"));
        assertThat(two.a.reconcile(false).findings()).isEmpty();
    }

    private String hostsOf(String container) {
        try {
            return Files.readString(tmp.resolve("etc").resolve(container).resolve("hosts"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
