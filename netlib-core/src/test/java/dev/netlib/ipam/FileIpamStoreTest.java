package dev.netlib.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.LockTimeoutException;
import dev.netlib.lock.HostFileLock;
import dev.netlib.lock.LockHolderJvm;
import dev.netlib.testjvm.ChildJvm;
import dev.netlib.value.IpAddresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only the file store does: atomic files, corruption checks, and several processes at once. */
class FileIpamStoreTest {
    private Path dir;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("nli-ipam-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        FileIpPoolTest.deleteTree(dir);
    }

    @Test
    void recordsAreReadableFilesAndDamageIsAClearError() throws Exception {
        FileIpamStore store = FileIpamStore.open(dir);
        IpPool pool = IpPool.builder(store, "disk").subnet("10.9.0.0/24").create();
        pool.allocate("c1");
        Path file = dir.resolve("ipam+pools+disk.kv");
        String text = Files.readString(file);
        assertThat(text).startsWith("netlib-store 1\nkey ipam/pools/disk\nversion 2\n").contains("\na 2 c1\nlast 2\n");

        byte[] flipped = Files.readAllBytes(file);
        flipped[flipped.length - 3] ^= 1; // one bit of the value: the CRC catches it
        Files.write(file, flipped);
        assertThatThrownBy(() -> IpPool.open(store, "disk")).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("checksum");
        assertThatThrownBy(() -> pool.allocate("c2")).isInstanceOf(CorruptStoreException.class);
        assertThat(Files.readAllBytes(file)).as("a corrupt record is never reset").isEqualTo(flipped);

        Files.writeString(file, text.substring(0, text.length() - 5));
        assertThatThrownBy(() -> store.get("ipam/pools/disk")).isInstanceOf(CorruptStoreException.class).hasMessageContaining("truncated");
        Files.writeString(file, "");
        assertThatThrownBy(() -> store.list("ipam/")).isInstanceOf(CorruptStoreException.class).hasMessageContaining("empty");
        Files.writeString(file, text.replace("key ipam/pools/disk", "key ipam/pools/other"));
        assertThatThrownBy(() -> store.get("ipam/pools/disk")).isInstanceOf(CorruptStoreException.class).hasMessageContaining("other");
    }

    @Test
    void deletedKeysLeaveNoFileButNeverReuseAVersionAndTempFilesOfDeadWritersAreIgnoredThenRemoved() throws Exception {
        FileIpamStore store = FileIpamStore.open(dir);
        long v1 = store.compareAndSet("k", 0, "x").orElseThrow();
        assertThat(store.delete("k", v1)).isTrue();
        assertThat(dir.resolve("k.kv")).as("a deleted key is pruned, no tombstone").doesNotExist();
        long v2 = store.compareAndSet("k", 0, "y").orElseThrow();
        assertThat(v2).isGreaterThan(v1 + 1);
        assertThat(store.delete("k", v1)).as("the old life's version never matches the new key").isFalse();
        assertThat(FileIpamStore.open(dir).compareAndSet("k2", 0, "z").orElseThrow()).as("revisions survive reopening").isGreaterThan(v2);
        for (int i = 0; i < 50; i++) {
            long v = store.compareAndSet("cycle", 0, "c").orElseThrow();
            assertThat(store.delete("cycle", v)).isTrue();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("."))).containsExactlyInAnyOrder("k.kv", "k2.kv");
        }
        Path stale = dir.resolve(".k.kv.999.abc.tmp");
        Files.writeString(stale, "half a reco");
        assertThat(store.list("").keySet()).containsExactly("k", "k2");
        FileIpamStore.open(dir).close();
        assertThat(stale).doesNotExist();
    }

    @Test
    void defaultDirectoryIsConfigurable() {
        String old = System.getProperty(FileIpamStore.DIR_PROPERTY);
        try {
            System.setProperty(FileIpamStore.DIR_PROPERTY, dir.toString());
            assertThat(FileIpamStore.defaultDirectory()).isEqualTo(dir);
            System.clearProperty(FileIpamStore.DIR_PROPERTY);
            if ("root".equals(System.getProperty("user.name")) && System.getenv(FileIpamStore.DIR_ENV) == null) {
                assertThat(FileIpamStore.defaultDirectory()).isEqualTo(Path.of("/var/lib/netlib"));
            }
        } finally {
            if (old != null) {
                System.setProperty(FileIpamStore.DIR_PROPERTY, old);
            }
        }
    }

    @Test
    void twoJvmsAndThisOneAllocatingAtOnceNeverDuplicate() throws Exception {
        FileIpamStore store = FileIpamStore.open(dir);
        IpPool pool = IpPool.builder(store, "shared").subnet("10.70.0.0/16").create();
        int perChild = 150;
        Process a = spawn("shared", "jvm-a", perChild);
        Process b = spawn("shared", "jvm-b", perChild);
        List<InetAddress> mine = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            mine.add(pool.allocate("jvm-test"));
        }
        List<InetAddress> all = new ArrayList<>(mine);
        for (Process p : List.of(a, b)) {
            List<String> out = readAll(p);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("child output: %s", out).isZero();
            assertThat(out).contains("DONE");
            all.addAll(allocated(out));
        }
        IpPoolContract.assertNoDuplicatesNoneLost(all, IpPool.open(store, "shared"), 2 * perChild + 50);
        assertThat(pool.allocationsOf("jvm-a")).hasSize(perChild);
    }

    @Test
    void aProcessKilledMidLoopLosesNothingItReported() throws Exception {
        FileIpamStore store = FileIpamStore.open(dir);
        IpPool.builder(store, "killed").subnet("10.71.0.0/16").create();
        Process p = spawn("killed", "victim", 0);
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int seen = 0;
            while ((line = r.readLine()) != null) {
                out.add(line);
                if (line.startsWith("ALLOC ") && ++seen == 60) {
                    // SIGKILL: no shutdown hook, no finally, mid-allocation. Through the handle, because
                    // Process.destroyForcibly() would also close our end of its stdout, losing lines in the pipe.
                    p.toHandle().destroyForcibly();
                }
            }
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        List<InetAddress> reported = allocated(out);
        assertThat(reported).hasSizeGreaterThanOrEqualTo(60);

        try (FileIpamStore after = FileIpamStore.open(dir)) {
            IpPool pool = IpPool.open(after, "killed");
            List<Allocation> stored = pool.allocations();
            Set<InetAddress> storedAddresses = new HashSet<>();
            stored.forEach(al -> storedAddresses.add(al.address()));
            assertThat(storedAddresses).as("no duplicates").hasSize(stored.size());
            assertThat(storedAddresses).as("every reported allocation survived").containsAll(reported);
            // At most the one allocation in flight when the kill came may exist without a report.
            assertThat(stored.size()).isBetween(reported.size(), reported.size() + 1);
            InetAddress next = pool.allocate("survivor");
            assertThat(storedAddresses).as("the lock died with its process").doesNotContain(next);
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aWriterGivesUpAfterTheStoresLockTimeoutNamingTheHolderAndWritesNothing() throws Exception {
        FileIpamStore store = FileIpamStore.open(dir, Duration.ofMillis(400));
        long v1 = store.compareAndSet("k", 0, "before").orElseThrow();
        // another process holds the store's lock and does not let go (stuck, or stopped)
        try (LockHolderJvm holder = LockHolderJvm.holding(dir.resolve(".lock"))) {
            assertThatThrownBy(() -> store.compareAndSet("k", v1, "after")).isInstanceOfSatisfying(LockTimeoutException.class, e -> {
                assertThat(e.holderPid()).hasValue(holder.pid());
                assertThat(e.getMessage()).contains(dir.resolve(".lock").toString(), "FileIpamStore.open");
            });
            assertThat(store.get("k").orElseThrow().value()).isEqualTo("before");
            holder.release(); // lets go
        }
        assertThat(store.compareAndSet("k", v1, "after")).isPresent();
        assertThat(store.get("k").orElseThrow().value()).isEqualTo("after");
    }

    @Test
    @Timeout(60)
    void theStoreAndAnotherUserOfItsLockFileInThisJvmNeverHoldItAtOnceNorDropEachOthersLock() throws Exception {
        FileIpamStore store = FileIpamStore.open(dir);
        Path lockFile = dir.resolve(".lock");
        // the other user spells the path its own way (through a symbolic link to the directory)
        Path alias = Files.createSymbolicLink(Files.createTempDirectory("nli-ipam-alias-").resolve("store"), dir);
        Path aliasLock = alias.resolve(".lock");
        long me = ProcessHandle.current().pid();
        try {
            // 1. while the other user holds it, a write waits, and the waiting never drops the holder's
            // fcntl lock (with a JVM lock of its own the store would go on, Java would refuse its lock
            // on the same file as overlapping, and closing its descriptor would drop ours: fcntl(2))
            CompletableFuture<OptionalLong> write;
            try (HostFileLock mine = HostFileLock.acquire(aliasLock, PosixFilePermissions.fromString("rw-r--r--"))) {
                write = CompletableFuture.supplyAsync(() -> store.compareAndSet("k", 0, "v1"), r -> new Thread(r, "nli-ipam-writer").start());
                assertThatThrownBy(() -> write.get(500, TimeUnit.MILLISECONDS)).as("the write waits").isInstanceOf(TimeoutException.class);
                assertThat(LockHolderJvm.holdersOf(lockFile)).as("still held, by this process").containsExactly(me);
                assertThat(store.get("k")).isEmpty();
            }
            long v1 = write.get(10, TimeUnit.SECONDS).orElseThrow();

            // 2. both at once, many times: the other user checks that no store write lands during its
            // hold (reads take no lock) and that it still holds the fcntl lock at the end of each hold;
            // the store's writes all succeed, none lost
            AtomicInteger crowded = new AtomicInteger();
            AtomicInteger dropped = new AtomicInteger();
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 40; i++) {
                    try (HostFileLock l = HostFileLock.acquire(aliasLock, PosixFilePermissions.fromString("rw-r--r--"))) {
                        long before = store.get("k").orElseThrow().version();
                        Thread.sleep(1);
                        if (!LockHolderJvm.holdersOf(lockFile).contains(me)) {
                            dropped.incrementAndGet();
                        }
                        if (store.get("k").orElseThrow().version() != before) {
                            crowded.incrementAndGet(); // the store wrote while this hold was on
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, r -> new Thread(r, "nli-ipam-other").start());
            long version = v1;
            for (int i = 0; i < 40; i++) {
                version = store.compareAndSet("k", version, "v" + (i + 2)).orElseThrow();
            }
            other.get(30, TimeUnit.SECONDS);
            assertThat(crowded.get()).as("holds during which the store wrote").isZero();
            assertThat(dropped.get()).as("holds whose fcntl lock was gone before their end").isZero();
            assertThat(store.get("k").orElseThrow().value()).isEqualTo("v41");
        } finally {
            Files.delete(alias);
            Files.delete(alias.getParent());
        }
    }

    private Process spawn(String pool, String owner, int count) throws IOException {
        Process p = ChildJvm.builder(List.of(), FileStoreAllocator.class, dir.toString(), pool, owner, Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        children.add(p);
        return p;
    }

    private static List<String> readAll(Process p) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<InetAddress> allocated(List<String> out) {
        List<InetAddress> list = new ArrayList<>();
        for (String l : out) {
            if (l.startsWith("ALLOC ")) {
                list.add(IpAddresses.parse(l.substring(6)));
            }
        }
        return list;
    }
}
