package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hosts file per network that resolves names, shared by its containers on no other network
 * through a hard link: a connect writes that one file (before, the file of every peer, so a connect
 * cost grew with the network: 7.6x at the 1,000th endpoint). Containers on several networks keep
 * their own file; reconcile repairs both kinds and sweeps what nobody wants.
 */
class NetworkHostsFilesTest {
    @TempDir
    Path tmp;

    private Path hostsOf(String netns) {
        return tmp.resolve(netns).resolve("hosts");
    }

    /** The file of a network: named by its id (network names may repeat across the hosts of one machine). */
    private Path networkFile(World w, String network) {
        return tmp.resolve(NetworkHostsFiles.DIR).resolve(w.networks.network(network).config().id());
    }

    /**
     * rename(2) of two names of one inode does nothing and succeeds: linking a name that already is
     * the network's file (two writers linking it at once) left the temporary name behind.
     */
    @Test
    void linkingANameThatIsAlreadyTheNetworksFileLeavesNoTemporaryName() throws Exception {
        Path shared = Files.writeString(tmp.resolve("shared"), "127.0.0.1 localhost\n");
        Path dir = Files.createDirectories(tmp.resolve("box"));
        Path hosts = dir.resolve("hosts");
        Files.createLink(hosts, shared);
        HostsFiles.linkAt(hosts, shared);
        try (var names = Files.list(dir)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("hosts");
        }
        assertThat(Files.isSameFile(hosts, shared)).isTrue();
    }

    @Test
    void containersOnOneNetworkShareItsFileAndOneConnectWritesOnlyThatFile() throws Exception {
        World w = new World(tmp);
        w.networks.create("n1").subnet("10.7.0.0/24").create();
        w.networks.connect("n1", w.box("box1"));
        w.networks.endpoint("n1", w.box("box2")).alias("db").connect();
        Path shared = networkFile(w, "n1");
        assertThat(Files.isSameFile(hostsOf("box1"), shared)).isTrue();
        assertThat(Files.isSameFile(hostsOf("box2"), shared)).isTrue();
        assertThat(Files.readString(shared)).isEqualTo(NetworkHostsFiles.HEADER + "10.7.0.2\tbox1\n10.7.0.3\tbox2 db\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-r--r--");

        Object inode = Files.getAttribute(shared, "unix:ino");
        long box1Changed = Files.getLastModifiedTime(hostsOf("box1")).toMillis();
        w.networks.connect("n1", w.box("box3"));
        assertThat(Files.getAttribute(hostsOf("box1"), "unix:ino")).as("written in place, still shared").isEqualTo(inode);
        assertThat(Files.readString(hostsOf("box1"))).contains("10.7.0.4\tbox3\n");
        assertThat(Files.getAttribute(hostsOf("box3"), "unix:nlink")).as("the network's name and three containers'").isEqualTo(4);
        assertThat(Files.getLastModifiedTime(hostsOf("box1")).toMillis()).isGreaterThanOrEqualTo(box1Changed);

        w.networks.disconnect("n1", "box3");
        assertThat(hostsOf("box3")).doesNotExist();
        assertThat(Files.readString(shared)).doesNotContain("box3");
        w.networks.disconnect("n1", "box1");
        w.networks.disconnect("n1", "box2");
        assertThat(tmp.resolve(NetworkHostsFiles.DIR)).as("the last line takes the file and its directory").doesNotExist();
        assertThat(w.networks.reconcile(false).isClean()).isTrue();
    }

    @Test
    void aContainerOnSeveralNetworksHasItsOwnFileRewrittenWhenOneOfThemChanges() throws Exception {
        World w = new World(tmp);
        w.networks.create("n1").subnet("10.7.0.0/24").create();
        w.networks.create("n2").subnet("10.8.0.0/24").create();
        w.networks.connect("n1", w.box("box1"));
        w.networks.connect("n2", w.box("box2"));
        var box3 = w.box("box3");
        w.networks.connect("n1", box3);
        assertThat(Files.isSameFile(hostsOf("box3"), networkFile(w, "n1"))).isTrue();
        w.networks.connect("n2", box3);
        assertThat(Files.isSameFile(hostsOf("box3"), networkFile(w, "n1"))).as("its own file now").isFalse();
        assertThat(Files.getAttribute(hostsOf("box3"), "unix:nlink")).isEqualTo(1);
        assertThat(Files.readString(hostsOf("box3"))).contains("10.7.0.2\tbox1\n").contains("10.8.0.2\tbox2\n")
                .contains("10.7.0.3\tbox3\n").contains("10.8.0.3\tbox3\n");
        assertThat(Files.readString(networkFile(w, "n1"))).as("box3 is in each network's file too").contains("10.7.0.3\tbox3\n");

        Object inode = Files.getAttribute(hostsOf("box3"), "unix:ino");
        w.networks.connect("n2", w.box("box4"));
        assertThat(Files.readString(hostsOf("box3"))).as("a peer joined one of its networks").contains("10.8.0.4\tbox4\n");
        assertThat(Files.getAttribute(hostsOf("box3"), "unix:ino")).isEqualTo(inode);

        w.networks.disconnect("n2", "box3");
        assertThat(Files.isSameFile(hostsOf("box3"), networkFile(w, "n1"))).as("on one network again: its file").isTrue();
        assertThat(Files.readString(networkFile(w, "n1"))).contains("\tbox3\n");
        assertThat(Files.readString(networkFile(w, "n2"))).doesNotContain("box3");
        assertThat(w.networks.reconcile(false).isClean()).isTrue();
    }

    @Test
    void reconcileRepairsLinksAndNetworkFilesAndSweepsWhatNobodyWants() throws Exception {
        World w = new World(tmp);
        w.networks.create("n1").subnet("10.7.0.0/24").create();
        w.networks.connect("n1", w.box("box1"));
        w.networks.connect("n1", w.box("box2"));
        String good = Files.readString(networkFile(w, "n1"));
        // box1's name loses the link (a copy of the content), the network's file loses box2's line,
        // a network that does not exist has a file, and an interrupted link left its temporary name
        Files.delete(hostsOf("box1"));
        Files.writeString(hostsOf("box1"), good);
        Files.writeString(networkFile(w, "n1"), good.replace("10.7.0.3\tbox2\n", ""));
        Path gone = tmp.resolve(NetworkHostsFiles.DIR).resolve("0123456789abcdef");
        Files.writeString(gone, NetworkHostsFiles.HEADER + "10.9.0.2\tghost\n");
        Files.writeString(tmp.resolve("box2").resolve(".hosts-0123456789ab.tmp"), good);

        ReconcileReport report = w.networks.reconcile(false);
        assertThat(report.findings()).extracting(ReconcileReport.Finding::subject)
                .contains("hosts file of network " + w.networks.network("n1").config().id(), "hosts file of network 0123456789abcdef",
                        "hosts file of box1")
                .anyMatch(s -> s.endsWith(".hosts-0123456789ab.tmp"));
        w.networks.reconcile(true);
        assertThat(w.networks.reconcile(false).isClean()).isTrue();
        assertThat(Files.readString(networkFile(w, "n1"))).isEqualTo(good);
        assertThat(Files.isSameFile(hostsOf("box1"), networkFile(w, "n1"))).isTrue();
        assertThat(Files.isSameFile(hostsOf("box2"), networkFile(w, "n1"))).isTrue();
        assertThat(gone).doesNotExist();
        assertThat(tmp.resolve("box2").resolve(".hosts-0123456789ab.tmp")).doesNotExist();
    }

    @Test
    void twoHostsOnOneRootWithTheSameNetworkNameKeepTheirFilesApart() throws Exception {
        World h1 = new World(tmp);
        World h2 = new World(tmp); // another host namespace of the machine, its own store, the same /etc/netns
        h1.networks.create("n1").subnet("10.7.0.0/24").create();
        h2.networks.create("n1").subnet("10.7.0.0/24").create();
        h1.networks.connect("n1", h1.box("box1"));
        h2.networks.connect("n1", h2.box("box2"));
        assertThat(Files.readString(hostsOf("box1"))).contains("\tbox1\n").doesNotContain("box2");
        assertThat(Files.readString(hostsOf("box2"))).contains("\tbox2\n").doesNotContain("box1");
        assertThat(Files.isSameFile(hostsOf("box1"), hostsOf("box2"))).isFalse();
        // (reconcile takes a root for one store's: another store's containers' files look stale to it)
    }
}
