package dev.netlib.linux.internal.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.LockTimeoutException;
import dev.netlib.error.NetlibException;
import dev.netlib.lock.LockHolderJvm;
import java.time.Duration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NftLock} without a kernel: its file is named by the namespace inode and made for root
 * only, firewalls of one namespace in one JVM share it, and an unusable directory still keeps this
 * JVM's threads apart instead of failing the change, until the directory can be made; a holder
 * that is stopped makes a waiter give up at the timeout, naming it.
 */
class NftLockTest {
    @TempDir
    Path tmp;

    @Test
    void theFileIsNamedByTheNamespaceInodeAndOnlyTheOwnerMayUseIt() throws Exception {
        Path dir = tmp.resolve("netlib/nft");
        try (NftLock lock = NftLock.in(dir, 4026531840L); NftLock.Held held = lock.acquire()) {
            assertThat(held.hostWide()).isTrue();
            assertThat(lock.file()).isEqualTo(dir.resolve("4026531840.lock"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.file()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(dir.getParent()).as("made too, with the default mode: other netlib state lives there").isDirectory();
        }
        assertThat(dir.resolve("4026531840.lock")).as("never deleted: another process may wait on it").exists();
    }

    @Test
    void twoFirewallsOfOneNamespaceInOneJvmExcludeEachOther() throws Exception {
        try (NftLock mine = NftLock.in(tmp, 7); NftLock.Held held = mine.acquire()) {
            CompletableFuture<Boolean> other = acquireInThread(NftLock.in(tmp, 7));
            assertWaits(other);
            held.close();
            assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anotherNamespaceIsNotHeldUp() throws Exception {
        try (NftLock mine = NftLock.in(tmp, 7); NftLock.Held held = mine.acquire()) {
            assertThat(acquireInThread(NftLock.in(tmp, 8)).get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anUnusableDirectoryFallsBackToThisJvmsThreadsOnly() throws Exception {
        Path notADir = Files.createFile(tmp.resolve("file"));
        try (NftLock lock = NftLock.in(notADir.resolve("nft"), 9); NftLock.Held held = lock.acquire()) {
            assertThat(held.hostWide()).as("no lock file can be made").isFalse();
            CompletableFuture<Boolean> other = acquireInThread(NftLock.in(notADir.resolve("nft"), 9));
            assertWaits(other);
            held.close();
            assertThat(other.get(10, TimeUnit.SECONDS)).isFalse();
            // once the directory can be made, the lock file is used again (tried at most once a second)
            Files.delete(notADir);
            Thread.sleep(1100);
            try (NftLock.Held again = lock.acquire()) {
                assertThat(again.hostWide()).isTrue();
            }
        }
    }

    @Test
    void anInterruptedWaiterFailsKeepingItsInterruptInsteadOfGoingOnWithoutTheLock() throws Exception {
        try (NftLock mine = NftLock.in(tmp, 13); NftLock.Held held = mine.acquire(); NftLock other = NftLock.in(tmp, 13)) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try (NftLock.Held h = other.acquire()) {
                    failure.complete(null); // took the lock while another holds it: wrong
                } catch (Throwable t) {
                    failure.complete(t);
                }
                flagKept.complete(Thread.currentThread().isInterrupted());
            }, "nft-lock-interrupted");
            waiter.start();
            Thread.sleep(200); // inside the wait
            waiter.interrupt();
            assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(NetlibException.class).hasMessageContaining("interrupted");
            assertThat(flagKept.get(10, TimeUnit.SECONDS)).as("the interrupt stays set").isTrue();
            waiter.join(10_000);
        }
    }

    @Test
    void noneExcludesNothing() throws Exception {
        try (NftLock.Held held = NftLock.NONE.acquire()) {
            assertThat(held.hostWide()).isFalse();
            assertThat(acquireInThread(NftLock.NONE).get(10, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void aStoppedHolderMakesTheWaiterGiveUpNamingItAndTheLockIsTakenOnceItGoesOn() throws Exception {
        try (LockHolderJvm holder = LockHolderJvm.start(NftLockHolder.class, tmp.toString(), "11")) {
            holder.stop();
            try (NftLock lock = NftLock.in(tmp, 11, NftLock.timeout().withDuration(Duration.ofMillis(800)))) {
                long start = System.nanoTime();
                assertThatThrownBy(lock::acquire).isInstanceOfSatisfying(LockTimeoutException.class, e -> {
                    assertThat(e.holderPid()).hasValue(holder.pid());
                    assertThat(e.getMessage()).contains(tmp.resolve("11.lock").toString(), "stopped", "kill -CONT " + holder.pid(),
                            NftLock.TIMEOUT_PROPERTY, NftLock.TIMEOUT_ENV);
                });
                assertThat((System.nanoTime() - start) / 1_000_000).as("gave up at the timeout").isBetween(700L, 6000L);
                holder.resume();
                holder.release(); // the holder lets go
                try (NftLock.Held held = lock.acquire()) {
                    assertThat(held.hostWide()).as("the file again, not the fall-back").isTrue();
                }
            }
        }
    }

    @Test
    void withoutAUsableDirectoryTheWaitForThisJvmsThreadsIsBoundedToo() throws Exception {
        Path notADir = Files.createFile(tmp.resolve("file"));
        try (NftLock lock = NftLock.in(notADir.resolve("nft"), 12); NftLock.Held held = lock.acquire();
                NftLock other = NftLock.in(notADir.resolve("nft"), 12, NftLock.timeout().withDuration(Duration.ofMillis(300)))) {
            assertThat(held.hostWide()).isFalse();
            assertThatThrownBy(() -> CompletableFuture.runAsync(() -> other.acquire().close(), r -> new Thread(r, "nft-lock-waiter").start())
                    .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("another thread of this process");
        }
    }

    @Test
    void theTimeoutIsThePropertyElseTheVariableElseAMinute() {
        assertThat(NftLock.timeout().duration()).as("the build sets neither").isEqualTo(Duration.ofSeconds(60));
        System.setProperty(NftLock.TIMEOUT_PROPERTY, "1.5");
        try {
            assertThat(NftLock.timeout().duration()).isEqualTo(Duration.ofMillis(1500));
            System.setProperty(NftLock.TIMEOUT_PROPERTY, "forever");
            assertThatThrownBy(NftLock::timeout).isInstanceOf(InvalidConfigException.class).hasMessageContaining(NftLock.TIMEOUT_PROPERTY);
        } finally {
            System.clearProperty(NftLock.TIMEOUT_PROPERTY);
        }
    }

    /** Takes and releases {@code lock} on a new thread, then closes it; whether it was host-wide. */
    private static CompletableFuture<Boolean> acquireInThread(NftLock lock) {
        return CompletableFuture.supplyAsync(() -> {
            try (lock; NftLock.Held h = lock.acquire()) {
                return h.hostWide();
            }
        }, r -> new Thread(r, "nft-lock-waiter").start());
    }

    private static void assertWaits(CompletableFuture<?> f) throws Exception {
        try {
            f.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError("took the lock while it was held");
        } catch (TimeoutException expected) {
            // still waiting
        }
    }
}
