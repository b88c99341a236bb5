package dev.netlib.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper's shell script on its own: once its pipe closes it kills the process it was told of
 * (only that one: pid and start time) and deletes the directory; killed, it does nothing.
 */
class ReaperTest {
    @Test
    void whenThePipeClosesItKillsTheAnnouncedProcessAndRemovesTheDirectory(@TempDir Path tmp) throws Exception {
        Path dir = directoryLikeEtcds(tmp);
        Process etcd = new ProcessBuilder("sleep", "30").start(); // stands in for etcd, without setpriv's signal
        try {
            Reaper reaper = Reaper.start(dir).orElseThrow();
            reaper.running(etcd);
            Process sh = reaper.orphan();
            assertThat(sh.waitFor(10, TimeUnit.SECONDS)).as("the reaper ended").isTrue();
            assertThat(etcd.waitFor(1, TimeUnit.SECONDS)).as("the announced process ended").isTrue();
            assertThat(etcd.exitValue()).as("by SIGKILL").isEqualTo(137);
            assertThat(dir).doesNotExist();
        } finally {
            etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPidWithAnotherStartTimeIsSparedAndAKilledReaperRemovesNothing(@TempDir Path tmp) throws Exception {
        Path dir = directoryLikeEtcds(tmp);
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Reaper reaper = Reaper.start(dir).orElseThrow();
            reaper.running(other.pid(), ProcFiles.runningSince(other.pid()).orElseThrow() + 1); // a reused pid
            assertThat(reaper.orphan().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(other.isAlive()).as("a process that is not the etcd it was told of").isTrue();
            assertThat(dir).doesNotExist();

            Path kept = directoryLikeEtcds(Files.createDirectory(tmp.resolve("kept")));
            Reaper closed = Reaper.start(kept).orElseThrow();
            closed.running(other.pid(), ProcFiles.runningSince(other.pid()).orElseThrow()); // as if other were its etcd
            closed.close();
            Thread.sleep(500); // a reaper that saw its pipe end instead of being killed would act by now
            assertThat(other.isAlive()).as("close() kills the reaper before it can kill").isTrue();
            assertThat(kept.resolve("data")).as("close() kills the reaper before it can remove").isDirectory();
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path directoryLikeEtcds(Path parent) throws Exception {
        Path dir = Files.createDirectory(parent.resolve("nlk-etcd-1"));
        Files.createDirectories(dir.resolve("data").resolve("member").resolve("wal"));
        Files.writeString(dir.resolve("data").resolve("member").resolve("wal").resolve("0.wal"), "x");
        Files.writeString(dir.resolve("etcd.log"), "log");
        OwnerMark.current().orElseThrow().writeTo(dir);
        return dir;
    }
}
