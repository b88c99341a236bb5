package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.LockTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostFileLock}: threads of one JVM and separate processes exclude each other, a killed
 * holder leaves nothing taken, a waiter follows the name to a new file, the file is made with
 * the mode asked for, and a holder that is stopped makes a waiter warn and give up, naming it.
 */
class HostFileLockTest {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @TempDir
    Path dir;

    @Test
    void threadsOfOneJvmExcludeEachOther() throws Exception {
        Path file = dir.resolve("threads.lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        try (HostFileLock l = HostFileLock.acquire(file, OWNER_ONLY)) {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            // a read-modify-write of a counter in the file: lost updates if two were inside
                            ByteBuffer b = ByteBuffer.allocate(4);
                            int n = l.channel().read(b, 0);
                            int count = n == 4 ? b.flip().getInt() : 0;
                            Thread.yield();
                            l.channel().write(ByteBuffer.allocate(4).putInt(0, count + 1), 0);
                            inside.decrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(errors).isEmpty();
        assertThat(most.get()).isEqualTo(1);
        assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).getInt()).isEqualTo(800);
    }

    @Test
    void theFileIsCreatedWithTheModeAskedFor() throws IOException {
        Path file = dir.resolve("mode.lock");
        try (HostFileLock l = HostFileLock.acquire(file, OWNER_ONLY)) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
        }
        assertThat(file).exists(); // the lock file stays: deleting it is the holder's decision
    }

    @Test
    void aSymbolicLinkIsRefusedAndTheJvmLockIsNotKept() throws IOException {
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link.lock"), target);
        ReentrantLock jvm = new ReentrantLock();
        assertThatThrownBy(() -> HostFileLock.acquire(link, OWNER_ONLY, jvm)).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        assertThat(jvm.isLocked()).isFalse();
    }

    @Test
    void closingTwiceReleasesOnce() throws IOException {
        ReentrantLock jvm = new ReentrantLock();
        HostFileLock l = HostFileLock.acquire(dir.resolve("twice.lock"), OWNER_ONLY, jvm);
        l.close();
        l.close();
        assertThat(jvm.isLocked()).isFalse();
        assertThat(l.channel().isOpen()).isFalse();
    }

    @Test
    void anotherProcessWaitsUntilTheHolderIsKilled() throws Exception {
        Path file = dir.resolve("killed.lock");
        assertWaitsUntilTheHolderIsKilled(file, () -> HostFileLock.acquire(file, OWNER_ONLY));
    }

    /** While another JVM holds the lock of {@code file}, {@code acquire} waits; once it is killed, it goes on. */
    private static void assertWaitsUntilTheHolderIsKilled(Path file, Acquire acquire) throws Exception {
        Process holder = startHolder(file);
        try {
            CompletableFuture<Void> mine = lockInThread(acquire);
            assertWaits(mine);
            holder.destroyForcibly(); // SIGKILL: the holder never unlocks; the kernel drops its fcntl lock
            mine.get(10, TimeUnit.SECONDS);
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWaiterFollowsTheNameToANewFileWhenTheHolderDeletedIt() throws Exception {
        Path file = dir.resolve("deleted.lock");
        Process holder = startHolder(file);
        try {
            CompletableFuture<Void> mine = lockInThread(() -> HostFileLock.acquire(file, OWNER_ONLY));
            assertWaits(mine);
            holder.getOutputStream().write("delete\n".getBytes(StandardCharsets.UTF_8));
            holder.getOutputStream().flush();
            mine.get(10, TimeUnit.SECONDS);
            // without the check it would hold the deleted inode, and the name would still be gone
            assertThat(file).as("the waiter locked a new file under the name").exists();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReusableLockKeepsItsFileOpenAndFollowsTheNameToANewFile() throws Exception {
        Path file = dir.resolve("reused.lock");
        try (HostFileLock.Reusable reusable = new HostFileLock.Reusable(file, OWNER_ONLY, new ReentrantLock())) {
            java.nio.channels.FileChannel first;
            try (HostFileLock l = reusable.acquire()) {
                first = l.channel();
            }
            assertThat(first.isOpen()).as("kept open between holds").isTrue();
            try (HostFileLock l = reusable.acquire()) {
                assertThat(l.channel()).isSameAs(first);
            }
            Files.delete(file); // the name goes (an administrator emptied the directory)
            try (HostFileLock l = reusable.acquire()) {
                assertThat(l.channel()).isNotSameAs(first);
                assertThat(first.isOpen()).isFalse();
                assertThat(file).as("locked under the name, where other processes will look").exists();
            }
            assertWaitsUntilTheHolderIsKilled(file, reusable::acquire);
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void aStoppedHolderIsNamedInAWarnAndInTheTimeoutAndTheLockIsTakenOnceItGoesOn() throws Exception {
        Path file = dir.resolve("stopped.lock");
        Process holder = startHolder(file);
        try {
            signal("STOP", holder.pid()); // as a debugger or Ctrl-Z would leave it: alive, holding the lock
            LockTimeout timeout = new LockTimeout(Duration.ofMillis(1200), "the test's setting");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            long start = System.nanoTime();
            LockTimeoutException e = null;
            PrintStream stderr = System.err; // where slf4j-simple writes, looked up at each line
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                HostFileLock.acquire(file, OWNER_ONLY, new ReentrantLock(), timeout).close();
            } catch (LockTimeoutException expected) {
                e = expected;
            } finally {
                System.setErr(stderr);
                stderr.print(log.toString(StandardCharsets.UTF_8));
            }
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).as("gave up").isNotNull();
            assertThat(waitedMs).as("waited the timeout, not much more").isBetween(1100L, 6000L);
            assertThat(e.holderPid()).hasValue(holder.pid());
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(1100));
            assertThat(e.getMessage()).contains(file.toString(), "process " + holder.pid() + " (java)", "stopped by a signal",
                    "kill -CONT " + holder.pid(), "the test's setting", "1.2 s");
            // one WARN, halfway (min(2 s, timeout/2)), naming the file and the holder
            assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN") && l.contains(file.toString()))).singleElement().asString()
                    .contains("process " + holder.pid(), "stopped by a signal", "gives up after 1.2 s");
            signal("CONT", holder.pid());
            release(holder);
            try (HostFileLock l = HostFileLock.acquire(file, OWNER_ONLY, new ReentrantLock(), timeout)) {
                assertThat(l.channel().isOpen()).isTrue();
            }
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void aReusableLockThatTimedOutIsTakenAgainOnceTheHolderLetsGo() throws Exception {
        Path file = dir.resolve("reusable-timeout.lock");
        LockTimeout timeout = new LockTimeout(Duration.ofMillis(300), "the test's setting");
        try (HostFileLock.Reusable reusable = new HostFileLock.Reusable(file, OWNER_ONLY, new ReentrantLock(), timeout)) {
            reusable.acquire().close(); // the file is open now, kept between holds
            Process holder = startHolder(file);
            try {
                assertThatThrownBy(reusable::acquire).isInstanceOfSatisfying(LockTimeoutException.class,
                        e -> assertThat(e.holderPid()).hasValue(holder.pid()));
                release(holder);
                try (HostFileLock l = reusable.acquire()) {
                    assertThat(l.channel().isOpen()).isTrue();
                }
            } finally {
                holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void aZeroTimeoutFailsAtOnceWhenTheLockIsBusy() throws Exception {
        Path file = dir.resolve("zero.lock");
        Process holder = startHolder(file);
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> HostFileLock.acquire(file, OWNER_ONLY, new ReentrantLock(), new LockTimeout(Duration.ZERO, "zero")))
                    .isInstanceOfSatisfying(LockTimeoutException.class, e -> assertThat(e.holderPid()).hasValue(holder.pid()));
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void theJvmPartTimesOutTooNamingThisProcess() throws Exception {
        Path file = dir.resolve("jvm.lock");
        ReentrantLock jvm = new ReentrantLock();
        LockTimeout timeout = new LockTimeout(Duration.ofMillis(300), "the test's setting");
        try (HostFileLock mine = HostFileLock.acquire(file, OWNER_ONLY, jvm)) {
            CompletableFuture<Void> other = lockInThread(() -> HostFileLock.acquire(file, OWNER_ONLY, jvm, timeout));
            assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LockTimeoutException.class)
                    .cause().hasMessageContaining("another thread of this process (pid " + ProcessHandle.current().pid() + ")")
                    .satisfies(c -> assertThat(((LockTimeoutException) c).holderPid()).hasValue(ProcessHandle.current().pid()));
            assertThat(jvm.isHeldByCurrentThread()).as("the holder keeps it").isTrue();
        }
        assertThat(jvm.isLocked()).isFalse();
    }

    /** Sends SIGNAL (STOP, CONT) to {@code pid} with kill(1). */
    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal).isZero();
    }

    /** Tells a holder to release its lock and end, and waits for it. */
    static void release(Process holder) throws Exception {
        holder.getOutputStream().write("release\n".getBytes(StandardCharsets.UTF_8));
        holder.getOutputStream().flush();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Starts a JVM that holds the lock of {@code file}, once it says so. */
    static Process startHolder(Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HostFileLockHolder.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("LOCKED");
        return p;
    }

    private interface Acquire {
        HostFileLock get() throws IOException;
    }

    /** Takes and releases a lock on a new thread. */
    private static CompletableFuture<Void> lockInThread(Acquire acquire) {
        return CompletableFuture.runAsync(() -> {
            try (HostFileLock l = acquire.get()) {
                assertThat(l.channel().isOpen()).isTrue();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r, "host-file-lock-waiter").start());
    }

    private static void assertWaits(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(500, TimeUnit.MILLISECONDS);
            throw new AssertionError("took the lock while another process held it");
        } catch (TimeoutException expected) {
            // still waiting for the other process
        }
    }
}
