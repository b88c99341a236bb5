package dev.netlib.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How etcd is started so that it dies with the JVM: the setpriv and sh in front of it, and the
 * thread that must outlive it. (That the kernel does kill it is {@link ThrowawayEtcdTest}'s.)
 */
class DeathSignalTest {
    static final List<String> EXIT_7 = List.of("sh", "-c", "exit 7");

    @Test
    void theCommandRunsBehindSetprivAndTheGuardRefusesAnotherParent() throws Exception {
        if (!DeathSignal.available()) {
            System.out.println("no setpriv with --pdeathsig here: commands run unwrapped");
            assertThat(DeathSignal.wrap(EXIT_7)).isEqualTo(EXIT_7);
            return;
        }
        assertThat(DeathSignal.wrap(EXIT_7)).containsSubsequence("--pdeathsig", "KILL", "--").endsWith(EXIT_7.toArray(String[]::new));
        assertThat(exitOf(DeathSignal.wrap(EXIT_7))).as("run as the JVM's child: the command's own status").isEqualTo(7);
        // as if the JVM had died before setpriv's prctl: the parent is not the one expected, nothing runs
        assertThat(exitOf(DeathSignal.wrapFor(1, EXIT_7))).as("run under another parent").isEqualTo(125);
    }

    @Test
    void theParentThreadOutlivesAnInterruptAndEndsWithItsProcess() throws Exception {
        Process p = ParentThread.start(new ProcessBuilder(DeathSignal.wrap(List.of("sleep", "30"))), "nlk-parent-test");
        try {
            Thread parent = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("nlk-parent-test")).findFirst().orElseThrow();
            assertThat(parent.isDaemon()).isTrue();
            parent.interrupt();
            Thread.sleep(200);
            assertThat(parent.isAlive()).as("the parent thread after an interrupt").isTrue();
            assertThat(p.isAlive()).as("its process").isTrue();

            p.destroyForcibly();
            parent.join(5_000);
            assertThat(parent.isAlive()).as("the parent thread once its process has ended").isFalse();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int exitOf(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
