package dev.netlib.linux.internal.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.LockTimeoutException;
import dev.netlib.linux.LinuxBackend;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.lock.LockHolderJvm;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.Protocol;
import dev.netlib.value.IpAddresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NftLock} with the real kernel: a change waits while another process holds the
 * namespace's lock and goes through once that process is killed; a change behind a stopped holder
 * fails at the timeout having sent nothing, and goes through once the holder goes on; the lock file under /run is made
 * as documented; and a writer that takes no lock still moves the generation under netlib, which
 * retries and converges.
 */
class NftLockKernelTest {
    ThrowawayNetns host;
    long inode;

    @BeforeEach
    void namespace() {
        ThrowawayNetns.assumeRoot();
        host = ThrowawayNetns.create("nlk", "lock").loopbackUp();
        inode = host.call(ThrowawayNetns::threadInode);
    }

    @AfterEach
    void cleanup() throws Exception {
        if (host != null) {
            host.close(); // the namespace, and netlib's table in it, go with it
            deleteTestLockFile(inode);
        }
    }

    private static void deleteIfEmpty(Path dir) throws java.io.IOException {
        try {
            Files.deleteIfExists(dir); // rmdir(2): refused while the directory holds anything
        } catch (java.nio.file.DirectoryNotEmptyException inUse) {
            // another process's state: stays
        }
    }

    /**
     * Deletes the lock file of a test's namespace once the namespace is gone, when the lock files
     * are in the tests' own directory (the variable the build sets): no other process uses it.
     */
    static void deleteTestLockFile(long inode) throws java.io.IOException {
        if (!NftLock.directory().equals(Path.of(NftLock.DEFAULT_DIR))) {
            Files.deleteIfExists(NftLock.of(inode).file());
        }
    }

    static DnatRule publish(int hostPort) {
        return new DnatRule(Protocol.TCP, null, hostPort, hostPort, IpAddresses.parse("172.30.0.2"), 80);
    }

    /** The start of the comment nft shows on a published port's elements. */
    static String comment(DnatRule r) {
        return "\"netlib dnat tcp - " + r.hostPortFirst() + " " + r.hostPortLast() + " ";
    }

    /**
     * The backend opens a namespace's firewall without reading the thread's namespace again
     * ({@link NftFirewall#openIn} takes the inode of the namespace it holds): its changes must still
     * wait for the lock of exactly that namespace, on both executor paths, a worker that entered
     * the namespace ({@code openNamespace}) and the caller's own thread already inside (the
     * backend's root, changed from a thread in it).
     */
    @Test
    void theBackendsFirewallTakesTheLockOfItsNamespaceOnBothPaths() throws Exception {
        try (LinuxBackend outside = new LinuxBackend()) {
            NetnsRef ns = outside.openNamespace(new NamespaceLocator.ByName(host.name()));
            assertThat(ns.inode()).isEqualTo(inode);
            assertWaitsForTheHolder(change -> outside.applyFirewall(ns, change), 18004);
        }
        try (LinuxBackend inside = host.call(LinuxBackend::new)) {
            assertThat(inside.root().inode()).isEqualTo(inode);
            assertWaitsForTheHolder(change -> host.call(() -> inside.applyFirewall(inside.root(), change)), 18005);
            assertThat(host.call(() -> inside.firewallRules(inside.root()))).containsExactlyInAnyOrder(publish(18004), publish(18005));
        }
    }

    /** Applies one published port through {@code apply} while another process holds this namespace's lock. */
    private void assertWaitsForTheHolder(Function<List<FirewallChange>, List<String>> apply, int port) throws Exception {
        try (LockHolderJvm holder = LockHolderJvm.start(NftLockHolder.class, NftLock.directory().toString(), Long.toString(inode))) {
            CompletableFuture<List<String>> change = CompletableFuture.supplyAsync(() -> apply.apply(List.of(FirewallChange.add(publish(port)))),
                    r -> new Thread(r, "nlk-apply-" + port).start());
            try {
                change.get(500, TimeUnit.MILLISECONDS);
                throw new AssertionError("the backend changed the ruleset while another process held the namespace's lock");
            } catch (TimeoutException expected) {
                // waiting for the other process: the firewall took the lock of this namespace's inode
            }
            holder.kill();
            assertThat(change.get(10, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    @Test
    void aProcessKilledWhileHoldingTheLockDoesNotBlockTheOthers() throws Exception {
        try (LockHolderJvm holder = LockHolderJvm.start(NftLockHolder.class, NftLock.directory().toString(), Long.toString(inode));
                NftFirewall fw = host.call(NftFirewall::open); NftFirewall second = host.call(NftFirewall::open)) {
            // two netlib writers wait behind the holder, then both write a burst at once: among netlib
            // writers the lock keeps every batch from being refused (without it, as with the writer
            // that takes no lock below, they plan again: ERESTART)
            CompletableFuture<List<FirewallRule>> first = burst(fw, 18100);
            CompletableFuture<List<FirewallRule>> other = burst(second, 18200);
            for (CompletableFuture<?> f : List.of(first, other)) {
                try {
                    f.get(500, TimeUnit.MILLISECONDS);
                    throw new AssertionError("changed the ruleset while another process held the namespace's lock");
                } catch (TimeoutException expected) {
                    // waiting for the other process
                }
            }
            holder.kill(); // SIGKILL: the kernel drops its fcntl lock, nobody else has to
            List<FirewallRule> all = new ArrayList<>(first.get(30, TimeUnit.SECONDS));
            all.addAll(other.get(30, TimeUnit.SECONDS));
            assertThat(fw.rules()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(fw.retries() + second.retries()).as("batches refused because the other netlib writer committed").isZero();
        }
    }

    /**
     * On a new thread, 40 changes through {@code fw} as fast as they go (publishes from {@code
     * firstPort}, every other one deleted again); the rules that stay.
     */
    private static CompletableFuture<List<FirewallRule>> burst(NftFirewall fw, int firstPort) {
        return CompletableFuture.supplyAsync(() -> {
            List<FirewallRule> kept = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                DnatRule r = publish(firstPort + i);
                fw.apply(List.of(FirewallChange.add(r)));
                if (i % 2 == 1) {
                    fw.apply(List.of(FirewallChange.delete(r)));
                } else {
                    kept.add(r);
                }
            }
            return kept;
        }, r -> new Thread(r, "nlk-apply-" + firstPort).start());
    }

    @Test
    void aStoppedHolderMakesAChangeFailAtTheTimeoutWithNothingChangedAndTheNextChangeGoesThrough() throws Exception {
        NftLock lock = NftLock.in(NftLock.directory(), inode, NftLock.timeout().withDuration(Duration.ofSeconds(1)));
        try (NftFirewall fw = new NftFirewall(host.openSocket(dev.netlib.linux.internal.netlink.NetlinkConstants.NETLINK_NETFILTER), lock)) {
            fw.apply(List.of(FirewallChange.add(publish(18003)))); // the table exists before the holder comes
            try (LockHolderJvm holder = LockHolderJvm.start(NftLockHolder.class, NftLock.directory().toString(), Long.toString(inode))) {
                holder.stop(); // stopped inside its change, as under a debugger
                assertThatThrownBy(() -> fw.apply(List.of(FirewallChange.add(publish(18004)))))
                        .isInstanceOfSatisfying(LockTimeoutException.class,
                                e -> assertThat(e.holderPid()).hasValue(holder.pid()))
                        .hasMessageContaining(lock.file().toString()).hasMessageContaining("kill -CONT " + holder.pid());
                assertThat(host.exec("nft", "-j", "list", "ruleset")).as("nothing was sent").contains(comment(publish(18003)))
                        .doesNotContain(comment(publish(18004)));
                holder.resume();
                holder.release(); // it finishes and lets go
            }
            fw.apply(List.of(FirewallChange.add(publish(18004))));
            assertThat(fw.rules()).containsExactlyInAnyOrder(publish(18003), publish(18004));
            // the timeout left the lock as it was: the file's, held by this process alone, not the fall-back
            try (NftLock.Held held = lock.acquire()) {
                assertThat(held.hostWide()).isTrue();
                assertThat(LockHolderJvm.holdersOf(lock.file())).containsExactly(ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void theLockFileIsMadeUnderRunForRootOnly() throws Exception {
        NftLock lock = NftLock.in(Path.of(NftLock.DEFAULT_DIR), inode);
        boolean existed = Files.exists(lock.file());
        Path dir = lock.file().getParent();
        boolean dirExisted = Files.exists(dir);
        boolean parentExisted = Files.exists(dir.getParent());
        try (NftFirewall fw = new NftFirewall(host.openSocket(dev.netlib.linux.internal.netlink.NetlinkConstants.NETLINK_NETFILTER), lock)) {
            fw.apply(List.of(FirewallChange.add(publish(18002))));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.file()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.file().getParent()))).isEqualTo("rwx------");
            fw.apply(List.of(FirewallChange.delete(publish(18002))));
        } finally {
            if (!existed) {
                // this namespace is still alive, so no other namespace has its inode, and nothing else uses it
                Files.deleteIfExists(lock.file());
            }
            // directories this test made go too, unless something else was put in them meanwhile
            if (!dirExisted) {
                deleteIfEmpty(dir);
            }
            if (!parentExisted) {
                deleteIfEmpty(dir.getParent());
            }
        }
    }

    /**
     * Starts a thread that adds and removes {@code rule} through {@code fw} until {@code stop}; its
     * failure goes to {@code failed}.
     */
    private static Thread addAndRemoveUntilStopped(NftFirewall fw, DnatRule rule, AtomicBoolean stop, AtomicReference<Throwable> failed) {
        Thread writer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    applyThroughBusy(fw, FirewallChange.add(rule));
                    applyThroughBusy(fw, FirewallChange.delete(rule));
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "nlk-foreign");
        writer.start();
        return writer;
    }

    /**
     * Applies {@code change}, again while it fails with EBUSY: two writers that commit without pause
     * (one of them unlocked) can refuse each other's batches (ERESTART) more often in a row than
     * NftFirewall retries, which is that writer's documented answer, not what these tests look at.
     */
    private static void applyThroughBusy(NftFirewall fw, FirewallChange change) {
        for (int attempt = 1; ; attempt++) {
            try {
                fw.apply(List.of(change));
                return;
            } catch (dev.netlib.error.BusyException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /**
     * A reader must see the table as committed while another writer's transaction is under way.
     * The other writer here removes a rule again and again, and each removal ends with the emptied
     * table's check, a transaction that deletes the layout and is refused (EBUSY) and aborted, as
     * the table holds netlib's elements. While it runs, the table's use count that a reader gets is
     * already lowered for every chain and set it deletes; netlib took that for a table without its
     * layout: a removal then found nothing of its own (ENOENT, about once in 1,200 changes here),
     * an addition would have replaced the table, and a holding read said a standing rule was not
     * installed. Thousands of changes and reads beside it must all see the table.
     */
    @Test
    void anotherWritersTransactionUnderWayNeverHidesTheTable() throws Exception {
        DnatRule theirs = new DnatRule(Protocol.TCP, null, 19000, 19000, IpAddresses.parse("172.30.0.3"), 80);
        DnatRule standing = publish(18999);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (NftFirewall fw = host.call(NftFirewall::open); NftFirewall foreign = host.call(NftFirewall::openUnlocked)) {
            fw.apply(List.of(FirewallChange.add(standing)));
            Thread writer = addAndRemoveUntilStopped(foreign, theirs, stop, failed);
            int unseen = 0;
            try {
                for (int i = 0; i < 4000 && failed.get() == null; i++) {
                    DnatRule r = publish(20000 + i % 100);
                    applyThroughBusy(fw, FirewallChange.add(r));
                    applyThroughBusy(fw, FirewallChange.delete(r));
                    if (!fw.holding(List.of(standing)).contains(standing)) {
                        unseen++;
                    }
                }
            } finally {
                stop.set(true);
                writer.join(10_000);
            }
            assertThat(failed.get()).isNull();
            assertThat(unseen).as("holding reads that missed the standing rule").isZero();
            assertThat(fw.rules()).containsExactly(standing);
        }
    }

    @Test
    void aWriterThatTakesNoLockStillForcesRetriesAndEverythingConverges() throws Exception {
        // the other writer stands for one that is not netlib (nft, Docker)
        DnatRule theirs = new DnatRule(Protocol.TCP, null, 19000, 19000, IpAddresses.parse("172.30.0.3"), 80);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<FirewallRule> mine = new ArrayList<>();
        try (NftFirewall fw = host.call(NftFirewall::open); NftFirewall foreign = host.call(NftFirewall::openUnlocked)) {
            fw.apply(List.of(FirewallChange.add(publish(18999)))); // the table exists before the race starts
            mine.add(publish(18999));
            Thread writer = addAndRemoveUntilStopped(foreign, theirs, stop, failed); // every commit moves the generation
            try {
                // until netlib had to plan again a few times (each change is a read then a batch; the
                // other thread commits between them often), or a bound that ends the test either way
                for (int i = 0; i < 2000 && (fw.retries() < 3 || i < 20) && failed.get() == null; i++) {
                    DnatRule r = publish(20000 + i);
                    fw.apply(List.of(FirewallChange.add(r)));
                    if (i % 2 == 1) {
                        fw.apply(List.of(FirewallChange.delete(r)));
                    } else {
                        mine.add(r);
                    }
                }
            } finally {
                stop.set(true);
                writer.join(10_000);
            }
            assertThat(failed.get()).isNull();
            assertThat(fw.retries()).as("batches refused (ERESTART) because the other writer committed, planned again").isGreaterThan(0);
            assertThat(fw.rules()).containsExactlyInAnyOrderElementsOf(mine);
            String listing = host.exec("nft", "-j", "list", "ruleset");
            for (FirewallRule r : mine) {
                assertThat(listing).contains(comment((DnatRule) r));
            }
            assertThat(listing).doesNotContain(comment(theirs));
        }
    }
}
