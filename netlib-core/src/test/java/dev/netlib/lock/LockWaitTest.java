package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.LockTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LockWait}'s wait for virtual threads ({@link LockWait#poll}, which the JVMs of these tests,
 * Java 17, never pick by themselves): it gives up at the deadline naming the holder, and takes the
 * lock soon after the holder lets go; and a timeout too long for nanoseconds.
 */
class LockWaitTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void pollingGivesUpAtTheDeadlineNamingTheHolderThenTakesTheLockOnceItIsFree() throws Exception {
        Path file = dir.resolve("poll.lock");
        try (LockHolderJvm holder = LockHolderJvm.holding(file); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> new LockWait(file, new LockTimeout(Duration.ofMillis(400), "the test's setting")).poll(ch))
                    .isInstanceOfSatisfying(LockTimeoutException.class, e -> assertThat(e.holderPid()).hasValue(holder.pid()))
                    .hasMessageContaining("the test's setting");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(390L, 5000L);
            CompletableFuture<FileLock> mine = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LockWait(file, new LockTimeout(Duration.ofSeconds(20), "x")).poll(ch);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(mine).as("waits while held").isNotDone();
            holder.release();
            FileLock lock = mine.get(10, TimeUnit.SECONDS);
            assertThat(lock.isValid()).isTrue();
            lock.release();
        }
    }

    @Test
    void aTimeoutBeyondACenturyMeansForEverAndStillWorks() throws Exception {
        // Duration.toNanos overflows past 292 years; nanoTime sums must not either
        LockTimeout forever = new LockTimeout(Duration.ofDays(1_000_000_000L), "x");
        try (HostFileLock l = HostFileLock.acquire(dir.resolve("forever.lock"), PosixFilePermissions.fromString("rw-------"), forever)) {
            assertThat(l.channel().isOpen()).isTrue();
        }
    }
}
