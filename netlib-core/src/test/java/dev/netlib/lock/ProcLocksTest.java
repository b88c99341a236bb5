package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcLocks}: the holders of a file's lock picked out of /proc/locks lines as the kernel
 * prints them (fs/locks.c, lock_get_status), the device numbers of stat(2) as /proc/locks shows
 * them, and a holder described from its /proc/PID/stat.
 */
class ProcLocksTest {
    /** Lines as {@code cat /proc/locks} shows them, a holder and its waiters among other locks. */
    private static final List<String> SAMPLE = List.of(
            "1: POSIX  ADVISORY  WRITE 12345 00:1a:4567 0 EOF",
            "1: -> POSIX  ADVISORY  WRITE 23456 00:1a:4567 0 EOF",
            "1: -> POSIX  ADVISORY  WRITE 34567 00:1a:4567 0 EOF",
            "2: FLOCK  ADVISORY  WRITE 999 08:01:4567 0 EOF",
            "3: OFDLCK ADVISORY  READ  -1 00:1a:777 0 EOF",
            "4: POSIX  ADVISORY  READ  0 103:02:131074 128 128",
            "5: LEASE  ACTIVE    READ  4242 00:1a:45670 0 EOF",
            "garbage",
            "6: POSIX  ADVISORY  WRITE x 00:1a:4567 0 EOF");

    @Test
    void theHolderIsTheLineForTheFilesDeviceAndInodeAndItsWaitersAreNot() {
        assertThat(ProcLocks.holders(SAMPLE, 0x00, 0x1a, 4567)).containsExactly(12345L);
        assertThat(ProcLocks.holders(SAMPLE, 0x08, 0x01, 4567)).as("same inode, other device").containsExactly(999L);
        assertThat(ProcLocks.holders(SAMPLE, 0x00, 0x1a, 777)).as("an OFD lock has no pid").containsExactly(-1L);
        assertThat(ProcLocks.holders(SAMPLE, 0x103, 0x02, 131074)).as("a holder in another pid namespace").containsExactly(0L);
        assertThat(ProcLocks.holders(SAMPLE, 0x00, 0x1a, 456)).isEmpty();
    }

    @Test
    void severalReadersAreAllNamedOnce() {
        List<String> lines = List.of("1: POSIX  ADVISORY  READ  10 00:2b:5 0 EOF", "2: POSIX  ADVISORY  READ  11 00:2b:5 0 EOF",
                "3: POSIX  ADVISORY  READ  10 00:2b:5 100 200");
        assertThat(ProcLocks.holders(lines, 0x00, 0x2b, 5)).containsExactly(10L, 11L);
    }

    @Test
    void statsDeviceNumbersSplitAsGlibcDoes() {
        assertThat(ProcLocks.major(0x801)).isEqualTo(8); // sda1
        assertThat(ProcLocks.minor(0x801)).isEqualTo(1);
        assertThat(ProcLocks.major(0x1a)).isZero(); // an anonymous device (tmpfs, overlay)
        assertThat(ProcLocks.minor(0x1a)).isEqualTo(0x1a);
        // makedev(259, 300): nvme partitions have large minors, split around the major's low bits
        long dev = ((259L & 0xfff) << 8) | ((259L & ~0xfffL) << 32) | (300 & 0xff) | ((300L & ~0xffL) << 12);
        assertThat(ProcLocks.major(dev)).isEqualTo(259);
        assertThat(ProcLocks.minor(dev)).isEqualTo(300);
    }

    @Test
    void theHoldersOfALockThisProcessHoldsAreFoundThroughProc() throws Exception {
        // the file's real device and inode, matched against the real /proc/locks
        Path file = Files.createTempFile("proclocks", ".lock");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock l = ch.lock()) {
            assertThat(ProcLocks.holders(file)).containsExactly(ProcessHandle.current().pid());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aHolderIsDescribedByItsNameAndState(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("77"));
        Files.writeString(proc.resolve("77/stat"), "77 (java) T 1 77 77 0 -1 4194560 123 0 0 0");
        assertThat(ProcLocks.describe(77, proc)).isEqualTo("process 77 (java), stopped by a signal (SIGSTOP, Ctrl-Z): kill -CONT 77 resumes it");
        Files.createDirectories(proc.resolve("78"));
        Files.writeString(proc.resolve("78/stat"), "78 (a (b) c) t 1 78 78 0 -1 4194560 123 0 0 0");
        assertThat(ProcLocks.describe(78, proc)).as("a name with spaces and parentheses")
                .isEqualTo("process 78 (a (b) c), stopped by a debugger (ptrace): it goes on when its debugger lets it");
        Files.createDirectories(proc.resolve("79"));
        Files.writeString(proc.resolve("79/stat"), "79 (netlib) D 1 79");
        assertThat(ProcLocks.describe(79, proc)).contains("uninterruptible");
        assertThat(ProcLocks.describe(80, proc)).isEqualTo("process 80 (gone now, or not readable)");
        assertThat(ProcLocks.describe(0, proc)).contains("outside this pid namespace");
        assertThat(ProcLocks.describe(-1, proc)).contains("open file description");
        assertThat(ProcLocks.describe(List.of())).contains("/proc/locks");
    }
}
