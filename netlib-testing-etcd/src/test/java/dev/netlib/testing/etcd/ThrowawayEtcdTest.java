package dev.netlib.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The throwaway etcd against the real binary: it answers, restarts on its data, freezes, and leaves nothing behind. */
class ThrowawayEtcdTest {
    @BeforeAll
    static void needsEtcd() {
        if (ThrowawayEtcd.binary().isEmpty()) {
            String why = "etcd binary not found: install Debian's etcd-server to run the etcd tests";
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
    }

    @Test
    void answersOnLoopbackAndCloseRemovesProcessAndData() throws Exception {
        ThrowawayEtcd etcd = ThrowawayEtcd.startOnTmpfs("nlk");
        long pid = etcd.pid();
        Path data = etcd.dataDir();
        try {
            assertThat(etcd.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(pid).isPositive();
            assertThat(ProcFiles.commandLine(pid).get(0)).as("the pid is etcd's, setpriv and sh exec'd it").endsWith("etcd");
            assertThat(data.getFileName().toString()).startsWith("nlk-etcd-");
            if (Files.isWritable(Path.of("/dev/shm"))) {
                assertThat(data.getParent()).isEqualTo(Path.of("/dev/shm"));
            }
            assertThat(EtcdHealth.answers(port(etcd))).as("healthy as soon as start returns").isTrue();
            EtcdKv.put(etcd.endpoint(), "k", "v");
            assertThat(EtcdKv.get(etcd.endpoint(), "k")).isEqualTo("v");
        } finally {
            etcd.close();
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("etcd after close").isEmpty();
        assertThat(data).doesNotExist();
        assertThat(etcd.pid()).isEqualTo(-1);
        etcd.close(); // twice is fine
        assertThatThrownBy(etcd::startProcess).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRestartKeepsPortsAndData() throws Exception {
        try (ThrowawayEtcd etcd = ThrowawayEtcd.start("nlk")) {
            assertThat(etcd.dataDir().getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
            String endpoint = etcd.endpoint();
            EtcdKv.put(endpoint, "kept", "yes");
            long first = etcd.pid();
            assertThatThrownBy(etcd::startProcess).as("already running").isInstanceOf(IllegalStateException.class);

            etcd.stopProcess();
            assertThat(etcd.pid()).isEqualTo(-1);
            assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(EtcdHealth.answers(port(etcd))).isFalse();
            etcd.stopProcess(); // stopped already: nothing to do

            etcd.startProcess();
            assertThat(etcd.endpoint()).isEqualTo(endpoint);
            assertThat(etcd.pid()).isPositive().isNotEqualTo(first);
            assertThat(EtcdKv.get(endpoint, "kept")).isEqualTo("yes");
        }
    }

    @Test
    void aFrozenEtcdIsSilentUntilThawedAndStopsPromptly() throws Exception {
        try (ThrowawayEtcd etcd = ThrowawayEtcd.startOnTmpfs("nlk")) {
            etcd.freeze(true);
            assertThat(EtcdHealth.answers(port(etcd))).as("frozen").isFalse();
            etcd.freeze(false);
            assertThat(EtcdHealth.answers(port(etcd))).as("thawed").isTrue();

            etcd.freeze(true);
            long t0 = System.nanoTime();
            etcd.stopProcess(); // thaws it first, or SIGTERM would wait 10 s for SIGKILL
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(8_000);
            assertThat(etcd.pid()).isEqualTo(-1);
            assertThatThrownBy(() -> etcd.freeze(true)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theShutdownHookRemovesEtcdWhenTheJvmIsTerminated() throws Exception {
        Child child = Child.start();
        try {
            assertThat(child.data()).isDirectory();
            child.process().destroy(); // SIGTERM: the JVM runs its shutdown hooks
            assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
            assertThat(ProcFiles.runningSince(child.etcdPid())).as("etcd of the terminated JVM").isEmpty();
            assertThat(child.data()).as("its data directory").doesNotExist();
        } finally {
            child.cleanUp();
        }
    }

    @Test
    void aSigkilledJvmLeavesNoEtcdAndItsReaperRemovesTheDirectoryAtOnce() throws Exception {
        Child child = Child.start();
        try {
            assertThat(EtcdHealth.answers(child.port())).as("etcd answers after the thread that started it has ended").isTrue();
            assertThat(child.data().resolve(OwnerMark.FILE)).isRegularFile();

            child.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
            assertThat(endsWithin(child.etcdPid(), 5_000)).as("etcd of the killed JVM").isTrue();
            assertThat(goneWithin(child.data(), 5_000)).as("its data directory, without another start").isTrue();
        } finally {
            child.cleanUp();
        }
    }

    @Test
    void anEtcdStartedAgainDiesWithASigkilledJvmToo() throws Exception {
        Child child = Child.start("restart"); // its etcd pid is the second process's
        try {
            assertThat(EtcdHealth.answers(child.port())).as("the restarted etcd answers").isTrue();
            child.process().destroyForcibly();
            assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
            assertThat(endsWithin(child.etcdPid(), 5_000)).as("the restarted etcd of the killed JVM").isTrue();
            assertThat(goneWithin(child.data(), 5_000)).as("its data directory, without another start").isTrue();
        } finally {
            child.cleanUp();
        }
    }

    @Test
    void withItsReaperKilledTooTheKernelKillsEtcdAndTheNextStartRemovesTheDirectory() throws Exception {
        Child child = Child.start();
        try {
            ProcessHandle reaper = child.process().children()
                    .filter(h -> ProcFiles.commandLine(h.pid()).contains("throwaway-etcd-reaper")).findFirst().orElseThrow();
            reaper.destroyForcibly(); // as a kill of the whole process group would, before the JVM
            assertThat(endsWithin(reaper.pid(), 5_000)).isTrue();
            child.process().destroyForcibly();
            assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
            if (DeathSignal.available()) {
                assertThat(endsWithin(child.etcdPid(), 5_000)).as("etcd killed by the kernel with its JVM (setpriv --pdeathsig)").isTrue();
            } else {
                System.out.println("no setpriv with --pdeathsig here: etcd is left to the next start's sweep");
            }
            assertThat(child.data()).as("nobody removed the directory yet").isDirectory();
            try (ThrowawayEtcd next = ThrowawayEtcd.startOnTmpfs("nlk")) {
                assertThat(next.pid()).isPositive();
                assertThat(ProcFiles.runningSince(child.etcdPid())).as("etcd of the killed JVM after the next start").isEmpty();
                assertThat(child.data()).as("its data directory after the next start").doesNotExist();
            }
        } finally {
            child.cleanUp();
        }
    }

    @Test
    void theSweepKillsAnOrphansEtcdAndRemovesItsDirectoryButLeavesALiveOwnersAlone() throws Exception {
        Path parent = Files.createTempDirectory("nlk-sweep-");
        Process orphan = null;
        try {
            Path gone = Files.createDirectory(parent.resolve("nlk-etcd-1"));
            new OwnerMark("a-boot-that-ended", ProcFiles.pidNamespace(), ProcessHandle.current().pid(), 1).writeTo(gone);
            Path alive = Files.createDirectory(parent.resolve("nlk-etcd-2"));
            OwnerMark.current().orElseThrow().writeTo(alive);
            Path unmarked = Files.createDirectory(parent.resolve("nlk-etcd-3"));
            // an etcd on the orphan's directory without a death signal, as where setpriv is missing
            orphan = new ProcessBuilder(ThrowawayEtcd.binary().orElseThrow().toString(), "--data-dir", gone.resolve("data").toString(),
                    "--listen-client-urls", "http://127.0.0.1:0", "--advertise-client-urls", "http://127.0.0.1:2379",
                    "--listen-peer-urls", "http://127.0.0.1:0", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                    "--initial-cluster", "default=http://127.0.0.1:2380")
                    .redirectErrorStream(true).redirectOutput(gone.resolve("etcd.log").toFile()).start();
            long t0 = System.nanoTime();
            while (!Files.isDirectory(gone.resolve("data").resolve("member")) && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(20);
            }
            assertThat(orphan.isAlive()).as("the orphan's etcd runs").isTrue();

            assertThat(Orphans.sweep(List.of(parent))).containsExactly(gone);

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("the orphan's etcd ended").isTrue();
            assertThat(orphan.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
            assertThat(gone).doesNotExist();
            assertThat(alive.resolve(OwnerMark.FILE)).as("a live owner's directory").isRegularFile();
            assertThat(unmarked).as("a directory without a mark is not ours to judge").isDirectory();
        } finally {
            if (orphan != null) {
                orphan.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            deleteQuietly(parent);
        }
    }

    @Test
    void aLabelMustBeAMemberName() {
        assertThatThrownBy(() -> ThrowawayEtcd.start("No Spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThrowawayEtcd.start("../up")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A JVM running {@link ExitWithoutClose}, and what it said: its etcd's pid and client port, and the data directory. */
    private record Child(Process process, long etcdPid, int port, Path data) {
        static Child start(String... more) throws java.io.IOException {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> command = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), ExitWithoutClose.class.getName(), "nlk"));
            command.addAll(List.of(more));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                p.destroyForcibly();
                throw new AssertionError("the child JVM ended without its ETCDPID ENDPOINT DATADIR line");
            }
            String[] said = line.split(" ", 3);
            return new Child(p, Long.parseLong(said[0]), Integer.parseInt(said[1].substring(said[1].lastIndexOf(':') + 1)), Path.of(said[2]));
        }

        /** Kills the child, the etcd it started (if that still runs on its directory) and the directory, whatever the test found. */
        void cleanUp() throws java.io.IOException {
            process.destroyForcibly();
            if (ProcFiles.commandLine(etcdPid).contains(data.resolve("data").toString())) {
                ProcessHandle.of(etcdPid).ifPresent(ProcessHandle::destroyForcibly); // the etcd our child started
            }
            deleteQuietly(data);
        }
    }

    /** Whether no process {@code pid} runs (a zombie counts as ended) within {@code millis}. */
    private static boolean endsWithin(long pid, long millis) throws InterruptedException {
        return within(millis, () -> ProcFiles.runningSince(pid).isEmpty());
    }

    /** Whether {@code path} is gone within {@code millis}. */
    private static boolean goneWithin(Path path, long millis) throws InterruptedException {
        return within(millis, () -> !Files.exists(path));
    }

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static void deleteQuietly(Path dir) throws java.io.IOException {
        if (dir != null && Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int port(ThrowawayEtcd etcd) {
        return Integer.parseInt(etcd.endpoint().substring(etcd.endpoint().lastIndexOf(':') + 1));
    }
}
