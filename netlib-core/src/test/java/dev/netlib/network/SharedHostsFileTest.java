package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.LockTimeoutException;
import dev.netlib.lock.LockHolderJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network layer's body and the overlay agent's section of one hosts file, rewritten at the same
 * moment by two writers: each read-modify-write happens under the file's locks, so neither ever
 * starts from a half-written file or loses the other's part (before, both read outside the lock and
 * one could overwrite the other's freshly written part, or refuse an empty file as foreign); and a
 * writer behind a holder that does not let go gives up at the configured timeout.
 */
class SharedHostsFileTest {

    @Test
    void twoWritersKeepEachOthersPart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hosts");
        int rounds = 300;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> body = pool.submit(() -> {
                for (int i = 1; i <= rounds; i++) {
                    String mine = SharedHostsFile.MARKER + "\n127.0.0.1\tlocalhost\n10.0.0." + (i % 250 + 1) + "\tbody" + i + "\n";
                    SharedHostsFile.rewrite(file, now -> {
                        assertThat(now.isEmpty() || now.startsWith(SharedHostsFile.MARKER)).as("a whole file, never a torn one").isTrue();
                        return mine + SharedHostsFile.overlaySection(now);
                    });
                }
                return null;
            });
            Future<?> section = pool.submit(() -> {
                for (int i = 1; i <= rounds; i++) {
                    String lines = SharedHostsFile.OVERLAY_BEGIN + "\n10.1.0." + (i % 250 + 1) + "\tsection" + i + "\n"
                            + SharedHostsFile.OVERLAY_END + "\n";
                    SharedHostsFile.rewrite(file, now -> {
                        String rest = SharedHostsFile.withoutOverlaySection(now);
                        return (rest.isEmpty() ? SharedHostsFile.MARKER + "\n" : rest) + lines;
                    });
                }
                return null;
            });
            body.get();
            section.get();
        } finally {
            pool.shutdownNow();
        }
        String end = Files.readString(file);
        assertThat(end).contains("\tbody" + rounds + "\n").contains("\tsection" + rounds + "\n");
        assertThat(end.split("\n", -1)).filteredOn(l -> l.contains("\tbody")).hasSize(1);
        assertThat(end.split("\n", -1)).filteredOn(l -> l.contains("\tsection")).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    /**
     * A container's name that became a hard link to a network's file (its own operation renamed the
     * link over it) is not written as the container's own file: not by a writer that opens it now,
     * nor by one whose edit runs after the rename (it holds the replaced inode). A missing name is not
     * made when the writer may not create it.
     */
    @Test
    void anOwnFileWriteNeverGoesThroughANameThatIsANetworksFile(@TempDir Path dir) throws Exception {
        Path network = dir.resolve("network");
        Path own = dir.resolve("own");
        Files.writeString(network, SharedHostsFile.MARKER + "\n10.0.0.2\tc1\n");
        Files.writeString(own, SharedHostsFile.MARKER + "\nown\n");
        boolean written = SharedHostsFile.rewriteOwn(own, now -> {
            try {
                HostsFiles.linkAt(own, network); // the container's operation, while this writer holds the old inode
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return SharedHostsFile.MARKER + "\nstale\n";
        }, false);
        assertThat(written).as("written into the replaced inode only").isTrue();
        assertThat(Files.readString(network)).isEqualTo(SharedHostsFile.MARKER + "\n10.0.0.2\tc1\n");
        assertThat(SharedHostsFile.rewriteOwn(own, now -> SharedHostsFile.MARKER + "\nstale\n", false)).isFalse();
        assertThat(Files.readString(network)).as("through the name, now the network's").isEqualTo(SharedHostsFile.MARKER + "\n10.0.0.2\tc1\n");
        assertThat(SharedHostsFile.rewriteOwn(dir.resolve("missing"), now -> "x", false)).isFalse();
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    /**
     * A left file is removed only while its name leads to the file that was seen: a link to a
     * network's file by its inode (the network's file stays), an own file also by its content.
     */
    @Test
    void aLeftFileIsRemovedOnlyWhileItsNameLeadsToTheFileSeen(@TempDir Path dir) throws Exception {
        Path network = dir.resolve("net");
        Files.writeString(network, SharedHostsFile.MARKER + "\n10.0.0.2\tpeer\n");
        Path name = dir.resolve("hosts");
        Files.createLink(name, network);
        Object linkKey = Files.getAttribute(name, "unix:fileKey");
        assertThat(SharedHostsFile.removeIfSeen(name, linkKey, c -> false)).as("a link: its content is the network's, not judged").isTrue();
        assertThat(name).doesNotExist();
        assertThat(network).exists();

        Files.writeString(name, SharedHostsFile.MARKER + "\nleft\n");
        Object ownKey = Files.getAttribute(name, "unix:fileKey");
        assertThat(SharedHostsFile.removeIfSeen(name, linkKey, c -> true)).as("another file than the one seen").isFalse();
        assertThat(SharedHostsFile.removeIfSeen(name, ownKey, c -> c.endsWith("other\n"))).as("content changed since").isFalse();
        assertThat(name).exists();
        assertThat(SharedHostsFile.removeIfSeen(name, ownKey, c -> c.endsWith("left\n"))).isTrue();
        assertThat(name).doesNotExist();
        assertThat(SharedHostsFile.removeIfSeen(name, ownKey, c -> true)).as("already gone").isFalse();
        try (var left = Files.list(dir)) {
            assertThat(left).as("no temporary name left behind").containsExactly(network);
        }
    }

    @Test
    void theSectionIsFoundAndCutExactly() {
        String body = SharedHostsFile.MARKER + "\n127.0.0.1\tlocalhost\n";
        String section = SharedHostsFile.OVERLAY_BEGIN + "\n10.0.0.3\tweb02\n" + SharedHostsFile.OVERLAY_END + "\n";
        List<String> cases = new ArrayList<>(List.of(body + section, section, body));
        assertThat(SharedHostsFile.overlaySection(cases.get(0))).isEqualTo(section);
        assertThat(SharedHostsFile.withoutOverlaySection(cases.get(0))).isEqualTo(body);
        assertThat(SharedHostsFile.overlaySection(cases.get(1))).isEqualTo(section);
        assertThat(SharedHostsFile.withoutOverlaySection(cases.get(1))).isEmpty();
        assertThat(SharedHostsFile.overlaySection(cases.get(2))).isEmpty();
        assertThat(SharedHostsFile.withoutOverlaySection(cases.get(2))).isEqualTo(body);
        // a section without its end line is not netlib's: left as it is
        String torn = body + SharedHostsFile.OVERLAY_BEGIN + "\n10.0.0.3\tweb02\n";
        assertThat(SharedHostsFile.overlaySection(torn)).isEmpty();
        assertThat(SharedHostsFile.withoutOverlaySection(torn)).isEqualTo(torn);
    }

    @Test
    @Timeout(30)
    void aWriterGivesUpAfterTheConfiguredTimeoutNamingTheHolderAndLeavesTheFileAsItWas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hosts");
        Files.writeString(file, SharedHostsFile.MARKER + "\n");
        System.setProperty(SharedHostsFile.LOCK_TIMEOUT_PROPERTY, "300ms");
        try (LockHolderJvm holder = LockHolderJvm.holding(file)) {
            assertThatThrownBy(() -> SharedHostsFile.rewrite(file, now -> now + "10.0.0.2\tbox\n"))
                    .isInstanceOfSatisfying(LockTimeoutException.class, e -> assertThat(e.holderPid()).hasValue(holder.pid()))
                    .hasMessageContaining(SharedHostsFile.LOCK_TIMEOUT_PROPERTY).hasMessageContaining(SharedHostsFile.LOCK_TIMEOUT_ENV);
            assertThat(Files.readString(file)).isEqualTo(SharedHostsFile.MARKER + "\n");
        } finally {
            System.clearProperty(SharedHostsFile.LOCK_TIMEOUT_PROPERTY);
        }
        assertThat(SharedHostsFile.rewrite(file, now -> now + "10.0.0.2\tbox\n")).as("the killed holder's lock is gone").isTrue();
    }
}
