package dev.netlib.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling a data directory's owner gone from alive, a reused pid included, by what /proc says. */
class OwnerMarkTest {
    static long me;
    static long myStart;

    @BeforeAll
    static void thisJvm() {
        me = ProcessHandle.current().pid();
        myStart = ProcFiles.runningSince(me).orElseThrow();
    }

    @Test
    void thisJvmIsAliveAndAReusedPidIsNotTheOwner() {
        assertThat(OwnerMark.current().orElseThrow().ownerGone()).isFalse();
        assertThat(new OwnerMark(ProcFiles.bootId(), ProcFiles.pidNamespace(), me, myStart).ownerGone()).isFalse();
        // the same pid with another start time is a later process that was given a freed pid
        assertThat(new OwnerMark(ProcFiles.bootId(), ProcFiles.pidNamespace(), me, myStart - 1).ownerGone()).isTrue();
    }

    @Test
    void anEndedProcessOrAnEarlierBootIsGoneAnotherPidNamespaceIsNotJudged() throws Exception {
        Process p = new ProcessBuilder("sleep", "5").start();
        long start = ProcFiles.runningSince(p.pid()).orElseThrow();
        OwnerMark mark = new OwnerMark(ProcFiles.bootId(), ProcFiles.pidNamespace(), p.pid(), start);
        assertThat(mark.ownerGone()).isFalse();
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mark.ownerGone()).as("after it ended").isTrue();

        assertThat(new OwnerMark("another-boot", ProcFiles.pidNamespace(), me, myStart).ownerGone()).isTrue();
        assertThat(new OwnerMark(ProcFiles.bootId(), "pid:[1]", p.pid(), start).ownerGone())
                .as("a pid of another pid namespace names no process this JVM can look up").isFalse();
    }

    @Test
    void aMarkIsWrittenAndReadBackAndAnythingElseIsNoMark(@TempDir Path dir) throws Exception {
        assertThat(OwnerMark.readFrom(dir)).isEmpty();
        new OwnerMark("another-boot", ProcFiles.pidNamespace(), me, myStart).writeTo(dir);
        assertThat(OwnerMark.readFrom(dir)).hasValueSatisfying(m -> assertThat(m.ownerGone()).isTrue());
        OwnerMark.current().orElseThrow().writeTo(dir);
        assertThat(OwnerMark.readFrom(dir)).hasValueSatisfying(m -> assertThat(m.ownerGone()).isFalse());
        Files.writeString(dir.resolve(OwnerMark.FILE), "pid=not-a-number\n");
        assertThat(OwnerMark.readFrom(dir)).isEmpty();
    }

    @Test
    void procFilesReadACommandLineAndNothingForAMissingPid() {
        assertThat(ProcFiles.commandLine(me)).isNotEmpty();
        assertThat(ProcFiles.runningSince(Long.MAX_VALUE)).isEmpty();
        assertThat(ProcFiles.commandLine(Long.MAX_VALUE)).isEmpty();
        assertThat(ProcFiles.bootId()).matches("[0-9a-f-]{36}");
        assertThat(ProcFiles.pidNamespace()).matches("pid:\\[\\d+\\]");
    }
}
