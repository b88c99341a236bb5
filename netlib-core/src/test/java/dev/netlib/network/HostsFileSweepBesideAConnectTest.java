package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.ipam.FileIpamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile's sweep removes the hosts file of a namespace without endpoints: one a process killed
 * in a connect left behind. A connect into that namespace by another process can end between the
 * sweep's last look and its removal; the removal must then leave what the connect wrote. Here a
 * third process's sweep (its own {@link Ops} on the same store and /etc/netns root) finds c9's left
 * file, and process b connects c9 right before the repair runs.
 */
class HostsFileSweepBesideAConnectTest {
    @TempDir
    Path tmp;

    private TwoWriters two;
    private Path c9Hosts;

    @BeforeEach
    void setUp() throws Exception {
        two = new TwoWriters(tmp, "nlh-sweep");
        two.a.create("n0").subnet("10.230.0.0/24").create();
        two.box("c9");
        c9Hosts = tmp.resolve("etc/c9/hosts");
        Files.createDirectories(c9Hosts.getParent());
        Files.writeString(c9Hosts, SharedHostsFile.MARKER + "\n127.0.0.1\tlocalhost\n10.230.0.9\tc9\n"); // a killed connect's
    }

    /** Runs the sweep as a third process; {@code meanwhile} runs right before the repair of c9's file. */
    private List<String> sweepWith(Runnable meanwhile) {
        Ops third = Ops.over(new Host(two.host, FileIpamStore.open(tmp.resolve("store")), null, tmp.resolve("etc"), true, "docker0",
                AddressPlanner.DEFAULT_BRIDGE_SUBNET, Map.of()));
        List<String> found = new ArrayList<>();
        HostsFilesCheck.Found sink = (subject, problem, fix) -> {
            found.add(subject + ": " + problem);
            if (subject.equals("hosts file of namespace c9")) {
                meanwhile.run();
            }
            fix.run();
        };
        HostsFilesCheck.Journaled journaled = (what, body) -> {
            Journal j = new Journal(what);
            body.accept(j);
            j.commit();
        };
        new HostsFilesCheck(third.host(), third.names(), true, sink, journaled, () -> false).run(false);
        return found;
    }

    /** b's connect made c9's name a link to n0's file (a rename over the left file): the link stays. */
    @Test
    void aLinkAConnectMadeAfterTheSweepLookedStays() throws Exception {
        List<String> found = sweepWith(() -> two.b.connect("n0", two.root.namespaces().open("c9")));
        assertThat(found).as("the sweep saw the left file").contains("hosts file of namespace c9: no endpoint is in that namespace");
        assertThat(c9Hosts).exists();
        assertThat(Files.isSameFile(c9Hosts, tmp.resolve("etc").resolve(NetworkHostsFiles.DIR).resolve(n0Id()))).isTrue();
        assertThat(Files.readString(c9Hosts)).contains("10.230.0.2\tc9");
        assertThat(two.a.reconcile(false).findings()).isEmpty();
    }

    /** b's connect to the default network rewrote the left own file in place (the same inode): its content stays. */
    @Test
    void anOwnFileAConnectRewroteAfterTheSweepLookedStays() throws Exception {
        Object before = Files.getAttribute(c9Hosts, "unix:fileKey");
        List<String> found = sweepWith(() -> two.b.connect("bridge", two.root.namespaces().open("c9")));
        assertThat(found).contains("hosts file of namespace c9: no endpoint is in that namespace");
        assertThat(c9Hosts).exists();
        assertThat(Files.getAttribute(c9Hosts, "unix:fileKey")).as("rewritten in place, the case under test").isEqualTo(before);
        assertThat(Files.readString(c9Hosts)).startsWith(SharedHostsFile.MARKER).contains("127.0.0.1\tlocalhost").doesNotContain("10.230.0.9");
        assertThat(two.a.reconcile(false).findings()).isEmpty();
    }

    /** Nobody connects: the left file and its directory go. */
    @Test
    void aLeftFileNobodyWroteSinceGoesWithItsDirectory() {
        List<String> found = sweepWith(() -> {});
        assertThat(found).contains("hosts file of namespace c9: no endpoint is in that namespace");
        assertThat(c9Hosts.getParent()).doesNotExist();
    }

    private String n0Id() {
        return two.a.list().stream().filter(n -> n.name().equals("n0")).findFirst().orElseThrow().id();
    }
}
