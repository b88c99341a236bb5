package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.LockTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
    void aSymbolicLinkIsRefusedAndTheJvmLockIsNotKept() throws Exception {
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link.lock"), target);
        ReentrantLock names = new ReentrantLock();
        assertThatThrownBy(() -> HostFileLock.acquire(link, OWNER_ONLY, names, LockTimeout.DEFAULT)).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        assertThat(names.isLocked()).isFalse();
        assertThat(jvmLockIsFreeForAnotherThread(link)).isTrue();
    }

    @Test
    void closingTwiceReleasesOnce() throws Exception {
        ReentrantLock names = new ReentrantLock();
        HostFileLock l = HostFileLock.acquire(dir.resolve("twice.lock"), OWNER_ONLY, names, LockTimeout.DEFAULT);
        l.close();
        l.close();
        assertThat(names.isLocked()).isFalse();
        assertThat(jvmLockIsFreeForAnotherThread(dir.resolve("twice.lock"))).isTrue();
        assertThat(l.channel().isOpen()).isFalse();
    }

    @Test
    void anotherProcessWaitsUntilTheHolderIsKilled() throws Exception {
        Path file = dir.resolve("killed.lock");
        assertWaitsUntilTheHolderIsKilled(file, () -> HostFileLock.acquire(file, OWNER_ONLY));
    }

    /** While another JVM holds the lock of {@code file}, {@code acquire} waits; once it is killed, it goes on. */
    private static void assertWaitsUntilTheHolderIsKilled(Path file, Acquire acquire) throws Exception {
        try (LockHolderJvm holder = LockHolderJvm.holding(file)) {
            CompletableFuture<Void> mine = lockInThread(acquire);
            assertWaits(mine);
            holder.kill(); // SIGKILL: the holder never unlocks; the kernel drops its fcntl lock
            mine.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWaiterFollowsTheNameToANewFileWhenTheHolderDeletedIt() throws Exception {
        Path file = dir.resolve("deleted.lock");
        try (LockHolderJvm holder = LockHolderJvm.holding(file)) {
            CompletableFuture<Void> mine = lockInThread(() -> HostFileLock.acquire(file, OWNER_ONLY));
            assertWaits(mine);
            holder.say("delete");
            mine.get(10, TimeUnit.SECONDS);
            // without the check it would hold the deleted inode, and the name would still be gone
            assertThat(file).as("the waiter locked a new file under the name").exists();
            assertThat(holder.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.process().exitValue()).isZero();
        }
    }

    @Test
    void aReusableLockKeepsItsFileOpenAndFollowsTheNameToANewFile() throws Exception {
        Path file = dir.resolve("reused.lock");
        try (HostFileLock.Reusable reusable = new HostFileLock.Reusable(file, OWNER_ONLY)) {
            FileChannel first;
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
        try (LockHolderJvm holder = LockHolderJvm.holding(file)) {
            holder.stop(); // as a debugger or Ctrl-Z would leave it: alive, holding the lock
            LockTimeout timeout = new LockTimeout(Duration.ofMillis(1200), "the test's setting");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            long start = System.nanoTime();
            LockTimeoutException e = null;
            PrintStream stderr = System.err; // where slf4j-simple writes, looked up at each line
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                HostFileLock.acquire(file, OWNER_ONLY, timeout).close();
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
            holder.resume();
            holder.release();
            try (HostFileLock l = HostFileLock.acquire(file, OWNER_ONLY, timeout)) {
                assertThat(l.channel().isOpen()).isTrue();
            }
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void aReusableLockThatTimedOutIsTakenAgainOnceTheHolderLetsGo() throws Exception {
        Path file = dir.resolve("reusable-timeout.lock");
        LockTimeout timeout = new LockTimeout(Duration.ofMillis(300), "the test's setting");
        try (HostFileLock.Reusable reusable = new HostFileLock.Reusable(file, OWNER_ONLY, timeout)) {
            reusable.acquire().close(); // the file is open now, kept between holds
            try (LockHolderJvm holder = LockHolderJvm.holding(file)) {
                assertThatThrownBy(reusable::acquire).isInstanceOfSatisfying(LockTimeoutException.class,
                        e -> assertThat(e.holderPid()).hasValue(holder.pid()));
                holder.release();
                try (HostFileLock l = reusable.acquire()) {
                    assertThat(l.channel().isOpen()).isTrue();
                }
            }
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void aZeroTimeoutFailsAtOnceWhenTheLockIsBusy() throws Exception {
        Path file = dir.resolve("zero.lock");
        try (LockHolderJvm holder = LockHolderJvm.holding(file)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> HostFileLock.acquire(file, OWNER_ONLY, new LockTimeout(Duration.ZERO, "zero")))
                    .isInstanceOfSatisfying(LockTimeoutException.class, e -> assertThat(e.holderPid()).hasValue(holder.pid()));
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
        }
    }

    @Test
    @Timeout(30) // a wait without its bound would hang here: fail instead
    void theJvmPartTimesOutTooNamingThisProcess() throws Exception {
        Path file = dir.resolve("jvm.lock");
        LockTimeout timeout = new LockTimeout(Duration.ofMillis(300), "the test's setting");
        try (HostFileLock mine = HostFileLock.acquire(file, OWNER_ONLY)) {
            CompletableFuture<Void> other = lockInThread(() -> HostFileLock.acquire(file, OWNER_ONLY, timeout));
            assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LockTimeoutException.class)
                    .cause().hasMessageContaining("another thread of this process (pid " + ProcessHandle.current().pid() + ")")
                    .satisfies(c -> assertThat(((LockTimeoutException) c).holderPid()).hasValue(ProcessHandle.current().pid()));
            assertThat(LockHolderJvm.holdersOf(file)).as("the holder keeps it").containsExactly(ProcessHandle.current().pid());
            assertThat(jvmLockIsFreeForAnotherThread(file)).isFalse();
        }
        assertThat(jvmLockIsFreeForAnotherThread(file)).isTrue();
    }

    @Test
    @Timeout(30)
    void everySpellingOfAPathSharesOneJvmLockAndAWaiterNeverDropsTheHoldersLock() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
        Path file = real.resolve("shared.lock");
        long me = ProcessHandle.current().pid();
        try (HostFileLock mine = HostFileLock.acquire(file, OWNER_ONLY)) {
            // another user of the file in this JVM, through another spelling and a Reusable: with a JVM
            // lock of its own it would go on to its own descriptor, and Java would refuse its fcntl
            // lock as overlapping, and closing that descriptor would drop ours (fcntl(2))
            try (HostFileLock.Reusable other = new HostFileLock.Reusable(dir.resolve("alias/../alias/./shared.lock"), OWNER_ONLY)) {
                CompletableFuture<Void> theirs = lockInThread(other::acquire);
                assertWaits(theirs);
                CompletableFuture<Void> plain = lockInThread(() -> HostFileLock.acquire(alias.resolve("shared.lock"), OWNER_ONLY));
                assertWaits(plain);
                assertThat(LockHolderJvm.holdersOf(file)).as("still held, by this process").containsExactly(me);
                mine.close();
                theirs.get(10, TimeUnit.SECONDS);
                plain.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(30) // the close's wait without its bound would hang here: fail instead
    void closingAReusableWhileAnotherThreadHoldsItWaitsAtMostTheTimeoutAndKeepsTheHoldersLock() throws Exception {
        Path file = dir.resolve("reusable-close.lock");
        long me = ProcessHandle.current().pid();
        LockTimeout timeout = new LockTimeout(Duration.ofMillis(300), "the test's setting");
        HostFileLock.Reusable reusable = new HostFileLock.Reusable(file, OWNER_ONLY, timeout);
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CompletableFuture<FileChannel> held = CompletableFuture.supplyAsync(() -> {
            try (HostFileLock l = reusable.acquire()) {
                taken.countDown();
                letGo.await();
                return l.channel();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r, "host-file-lock-holder").start());
        try {
            assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(reusable::close).isInstanceOfSatisfying(LockTimeoutException.class,
                    e -> assertThat(e.holderPid()).hasValue(me)).hasMessageContaining("another thread of this process");
            assertThat((System.nanoTime() - start) / 1_000_000).as("waited the timeout").isBetween(250L, 6000L);
            assertThat(LockHolderJvm.holdersOf(file)).as("the holder's fcntl lock survived the close").containsExactly(me);
        } finally {
            letGo.countDown();
        }
        FileChannel channel = held.get(10, TimeUnit.SECONDS);
        assertThat(channel.isOpen()).as("the failed close left the file open").isTrue();
        reusable.close(); // nobody holds it now
        assertThat(channel.isOpen()).isFalse();
    }

    /** Whether another thread can take the JVM lock of {@code file} at once. */
    private static boolean jvmLockIsFreeForAnotherThread(Path file) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                HostFileLock.lockJvmOnly(file, new LockTimeout(Duration.ZERO, "zero")).unlock();
                return true;
            } catch (LockTimeoutException busy) {
                return false;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r, "host-file-lock-probe").start()).get(10, TimeUnit.SECONDS);
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
