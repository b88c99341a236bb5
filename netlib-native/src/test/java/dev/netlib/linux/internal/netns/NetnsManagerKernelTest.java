package dev.netlib.linux.internal.netns;

import static dev.netlib.linux.internal.netns.NlnSupport.sh;
import static dev.netlib.linux.internal.netns.NlnSupport.threadInode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.spi.NamespaceLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NetnsManager against the real kernel, cross-checked with iproute2. Needs root. */
class NetnsManagerKernelTest {
    private NetnsManager mgr;
    private final NlnSupport.Names names = new NlnSupport.Names();
    private long callerInode;

    @BeforeEach
    void setUp() {
        NlnSupport.assumeRoot();
        callerInode = threadInode();
        mgr = new NetnsManager();
    }

    @AfterEach
    void tearDown() {
        try {
            if (mgr != null) {
                mgr.close();
            }
        } finally {
            names.removeAll();
        }
        if (mgr != null) {
            assertThat(threadInode()).as("caller's netns after the test").isEqualTo(callerInode);
        }
    }

    private String name(String tag) {
        return names.name(tag);
    }

    private void assertCallerUnchanged() {
        assertThat(threadInode()).as("caller thread's /proc/thread-self/ns/net").isEqualTo(callerInode);
    }

    @Test
    void rootIsTheCallersNamespace() {
        assertThat(mgr.root().inode()).isEqualTo(callerInode);
        assertThat(mgr.root().kind()).isEqualTo(LinuxNetns.Kind.ROOT);
        assertThat(mgr.root().ipArgument()).isNull();
    }

    @Test
    void namedNamespaceIsMadeAsIpNetnsAddMakesIt() throws Exception {
        assumeTrue(NlnSupport.haveIp(), "needs iproute2 for the cross-check");
        String n = name("named");
        LinuxNetns ns = mgr.create(n);
        assertCallerUnchanged();
        assertThat(ns.name()).contains(n);
        assertThat(ns.inode()).isNotEqualTo(callerInode);
        assertThat(mgr.list()).contains(n);
        assertThat(sh("ip", "netns", "list")).contains(n);
        // iproute2 enters our namespace and sees the same inode
        String inode = sh("ip", "netns", "exec", n, "stat", "-L", "-c", "%i", "/proc/self/ns/net").trim();
        assertThat(Long.parseLong(inode)).isEqualTo(ns.inode());
        // a bind mount of nsfs, under a shared /var/run/netns
        assertThat(sh("findmnt", "-n", "-o", "FSTYPE", "/run/netns/" + n).trim()).isEqualTo("nsfs");
        assertThat(sh("findmnt", "-n", "-o", "PROPAGATION", "/run/netns").trim()).startsWith("shared");
        // only lo inside, down
        assertThat(sh("ip", "-n", n, "-o", "link", "show")).contains("1: lo:").doesNotContain("2:");
        // the code really runs inside
        long inside = mgr.run(ns, NlnSupport::threadInode);
        assertThat(inside).isEqualTo(ns.inode());
        assertCallerUnchanged();

        mgr.delete(ns);
        assertCallerUnchanged();
        assertThat(mgr.list()).doesNotContain(n);
        assertThat(sh("ip", "netns", "list")).doesNotContain(n);
        assertThat(sh("findmnt", "-n", "-l", "-o", "TARGET")).doesNotContain(n);
        assertThat(ns.isReleased()).isTrue();
        mgr.release(ns); // idempotent
    }

    @Test
    void creatingAnExistingNameFailsAndKeepsTheOther() {
        String n = name("dup");
        LinuxNetns first = mgr.create(n);
        assertThatThrownBy(() -> mgr.create(n))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining(n);
        assertCallerUnchanged();
        // the failed create did not remove the existing name
        assertThat(NsFiles.inodeOfPath(NsFiles.NETNS_RUN_DIR.resolve(n))).isEqualTo(first.inode());
        mgr.delete(first);
    }

    @Test
    void aTakenNameLeavesNothingOfTheNamespaceMadeMeanwhile() throws Exception {
        // A named create unshares on the root worker while the caller makes the name's file: when
        // the name is taken, the namespace made meanwhile, its fd and the inside task's result go.
        String n = name("taken");
        LinuxNetns first = mgr.create(n);
        long fds = NlnSupport.openFds();
        AtomicLong made = new AtomicLong();
        AtomicBoolean insideClosed = new AtomicBoolean();
        assertThatThrownBy(() -> mgr.create(n, () -> {
            made.set(threadInode());
            return (AutoCloseable) () -> insideClosed.set(true);
        })).isInstanceOf(AlreadyExistsException.class).hasMessageContaining(n);
        assertCallerUnchanged();
        assertThat(made.get()).as("the unshare ran").isPositive().isNotEqualTo(first.inode()).isNotEqualTo(callerInode);
        assertThat(insideClosed).as("the inside task's result was closed").isTrue();
        // <=: a pipe of an earlier test's child process may be closed by a cleaner meanwhile
        assertThat(NlnSupport.openFds()).isLessThanOrEqualTo(fds);
        // read in-process, tolerating fds closed during the listing (ls exits 1 when one goes between
        // its readdir and its readlink, which a cleaner thread of an earlier test can make happen)
        assertThat(NlnSupport.fdTable().values()).doesNotContain("net:[" + made.get() + "]");
        assertThat(NsFiles.inodeOfPath(NsFiles.NETNS_RUN_DIR.resolve(n))).isEqualTo(first.inode());
        assertThat(mgr.openRefs()).isEqualTo(1);
        mgr.delete(first);
    }

    @Test
    void aNamedCreateFromInsideARootTaskLeavesThatWorkerInTheRoot() throws Exception {
        // the caller is the root's own worker, so the unshare runs on that very thread (that it runs
        // inline is NamespaceExecutorTest's to check): the thread must be back in the root after
        String n = name("inline");
        LinuxNetns ns = mgr.run(mgr.root(), () -> mgr.create(n));
        assertCallerUnchanged();
        assertThat(NsFiles.inodeOfPath(NsFiles.NETNS_RUN_DIR.resolve(n))).isEqualTo(ns.inode()).isNotEqualTo(callerInode);
        assertThat(mgr.run(ns, NlnSupport::threadInode)).isEqualTo(ns.inode());
        assertThat(mgr.run(mgr.root(), NlnSupport::threadInode)).isEqualTo(callerInode);
        mgr.delete(ns);
    }

    @Test
    void openingAMissingNameSaysWhichPath() {
        String n = name("missing");
        assertThatThrownBy(() -> mgr.open(new NamespaceLocator.ByName(n)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("/var/run/netns/" + n);
        assertThatThrownBy(() -> mgr.open(new NamespaceLocator.ByPid(Integer.MAX_VALUE)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("/proc/" + Integer.MAX_VALUE + "/ns/net");
        assertCallerUnchanged();
    }

    @Test
    void openingAFileThatIsNoNamespaceIsRefused() throws IOException {
        Path tmp = Files.createTempFile("nln-", ".txt");
        try {
            long before = NlnSupport.openFds();
            assertThatThrownBy(() -> mgr.open(new NamespaceLocator.ByPath(tmp)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("not a network namespace");
            // the descriptor opened on the file is closed again; the count may drop meanwhile (a cleaner
            // closing a pipe of an earlier test's child process), never grow
            String file = tmp.toRealPath().toString();
            assertThat(NlnSupport.fdTable().values()).noneMatch(file::equals);
            assertThat(NlnSupport.openFds()).isLessThanOrEqualTo(before);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    void anotherKindOfNamespaceIsNoNetworkNamespace() {
        assertThatThrownBy(() -> mgr.open(new NamespaceLocator.ByPath(Path.of("/proc/self/ns/mnt"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a network namespace")
                .hasMessageContaining("mnt:[");
        LinuxNetns self = mgr.open(new NamespaceLocator.ByPath(Path.of("/proc/thread-self/ns/net")));
        assertThat(self.inode()).isEqualTo(callerInode);
        mgr.release(self);
    }

    @Test
    void deleteLeavesANameThatNowBelongsToAnotherNamespace() {
        assumeTrue(NlnSupport.haveIp(), "needs iproute2");
        String n = name("reused");
        LinuxNetns ours = mgr.create(n);
        sh("ip", "netns", "del", n);
        sh("ip", "netns", "add", n); // someone else's namespace under the same name now
        long theirs = NsFiles.inodeOfPath(NsFiles.NETNS_RUN_DIR.resolve(n));
        assertThat(theirs).isNotEqualTo(ours.inode());
        mgr.delete(ours);
        assertThat(ours.isReleased()).isTrue();
        assertThat(NsFiles.inodeOfPath(NsFiles.NETNS_RUN_DIR.resolve(n))).as("the other namespace keeps its name").isEqualTo(theirs);
        sh("ip", "netns", "del", n);
    }

    @Test
    void opensIproute2NamespacesByNamePathAndPid() throws Exception {
        assumeTrue(NlnSupport.haveIp(), "needs iproute2");
        String n = name("ipadd");
        sh("ip", "netns", "add", n);
        Process sleeper = null;
        try {
            LinuxNetns byName = mgr.open(new NamespaceLocator.ByName(n));
            long ipInode = Long.parseLong(sh("stat", "-L", "-c", "%i", "/var/run/netns/" + n).trim());
            assertThat(byName.inode()).isEqualTo(ipInode);
            assertThat(byName.describe()).isEqualTo("netns " + n);

            LinuxNetns byPath = mgr.open(new NamespaceLocator.ByPath(Path.of("/var/run/netns/" + n)));
            assertThat(byPath.inode()).isEqualTo(ipInode);
            assertThat(byPath.name()).contains(n);

            sleeper = new ProcessBuilder("ip", "netns", "exec", n, "sleep", "30").start();
            long pid = sleeper.pid();
            // ip netns exec setns()es then execs sleep in the same process: wait until it has switched
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            LinuxNetns byPid = null;
            while (System.nanoTime() < deadline) {
                LinuxNetns candidate = mgr.open(new NamespaceLocator.ByPid(pid));
                if (candidate.inode() == ipInode) {
                    byPid = candidate;
                    break;
                }
                mgr.release(candidate);
                Thread.sleep(10);
            }
            assertThat(byPid).as("/proc/PID/ns/net of a process in " + n).isNotNull();
            assertThat(byPid.kind()).isEqualTo(LinuxNetns.Kind.PID);
            assertThat(mgr.run(byPid, NlnSupport::threadInode)).isEqualTo(ipInode);

            // releasing refs never deletes the namespace
            mgr.release(byName);
            mgr.release(byPath);
            mgr.release(byPid);
            assertThat(mgr.list()).contains(n);
            // deleting through a ref opened by name removes iproute2's namespace as ip netns del would
            mgr.delete(mgr.open(new NamespaceLocator.ByName(n)));
            assertThat(sh("ip", "netns", "list")).doesNotContain(n);
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly().waitFor();
            }
        }
        assertCallerUnchanged();
    }

    @Test
    void anonymousNamespaceLivesAsLongAsItsRef() throws Exception {
        List<String> before = mgr.list();
        LinuxNetns ns = mgr.create(null);
        assertCallerUnchanged();
        assertThat(ns.name()).isEmpty();
        assertThat(ns.kind()).isEqualTo(LinuxNetns.Kind.ANONYMOUS);
        assertThat(ns.inode()).isNotEqualTo(callerInode);
        assertThat(mgr.list()).isEqualTo(before);
        assertThat(mgr.run(ns, NlnSupport::threadInode)).isEqualTo(ns.inode());
        // the sysctl view is the namespace's own
        mgr.writeSysctl(ns, "net.ipv4.ip_forward", "1");
        assertThat(mgr.readSysctl(ns, "net.ipv4.ip_forward")).isEqualTo("1");
        mgr.delete(ns); // same as release for an anonymous one
        assertThat(ns.isReleased()).isTrue();
        assertThatThrownBy(() -> mgr.run(ns, () -> 1)).hasMessageContaining("released");
    }

    @Test
    void sysctlsAreThoseOfTheNamespace() {
        String n = name("sysctl");
        LinuxNetns ns = mgr.create(n);
        try {
            String rootValue = mgr.readSysctl(mgr.root(), "net.ipv4.ip_forward");
            String other = "1".equals(rootValue) ? "0" : "1";
            mgr.writeSysctl(ns, "net.ipv4.ip_forward", other);
            assertThat(mgr.readSysctl(ns, "net.ipv4.ip_forward")).isEqualTo(other);
            assertThat(mgr.readSysctl(ns, "net/ipv4/ip_forward")).isEqualTo(other);
            assertThat(mgr.readSysctl(mgr.root(), "net.ipv4.ip_forward")).as("root untouched").isEqualTo(rootValue);
            if (NlnSupport.haveIp()) {
                assertThat(sh("ip", "netns", "exec", n, "cat", "/proc/sys/net/ipv4/ip_forward").trim()).isEqualTo(other);
            }
            // per-interface keys exist only where the interface is
            mgr.writeSysctl(ns, "net.ipv6.conf.lo.disable_ipv6", "1");
            assertThat(mgr.readSysctl(ns, "net.ipv6.conf.lo.disable_ipv6")).isEqualTo("1");
            assertThatThrownBy(() -> mgr.readSysctl(ns, "net.ipv4.conf.nln-nothere.forwarding"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("net.ipv4.conf.nln-nothere.forwarding");
            assertThatThrownBy(() -> mgr.writeSysctl(ns, "net.ipv4.ip_forward", "banana"))
                    .isInstanceOf(dev.netlib.error.KernelException.class)
                    .hasMessageContaining("EINVAL");
            assertThatThrownBy(() -> mgr.readSysctl(ns, "../../etc/passwd")).isInstanceOf(InvalidConfigException.class);
            assertCallerUnchanged();
        } finally {
            mgr.delete(ns);
        }
    }

    @Test
    void runPropagatesExceptionsAndNeverMovesTheCaller() {
        LinuxNetns ns = mgr.create(null);
        try {
            assertThatThrownBy(() -> mgr.run(ns, () -> {
                throw new IOException("checked from inside");
            })).isInstanceOf(IOException.class).hasMessage("checked from inside");
            assertCallerUnchanged();
            assertThatThrownBy(() -> mgr.run(ns, () -> {
                throw new IllegalStateException("unchecked from inside");
            })).isInstanceOf(IllegalStateException.class).hasMessage("unchecked from inside");
            assertCallerUnchanged();
            assertThatThrownBy(() -> mgr.run(ns, () -> {
                throw new AssertionError("error from inside");
            })).isInstanceOf(AssertionError.class);
            assertCallerUnchanged();
            // nested run into the same namespace runs inline (no deadlock), into root goes to a root worker
            long[] seen = mgr.runInternal(ns, () -> new long[] {
                threadInode(), mgr.runInternal(ns, NlnSupport::threadInode), mgr.runInternal(mgr.root(), NlnSupport::threadInode)});
            assertThat(seen).containsExactly(ns.inode(), ns.inode(), callerInode);
            // tasks in one namespace run concurrently: two tasks that wait for each other finish
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
            Thread other = new Thread(() -> mgr.runInternal(ns, () -> barrier.await(5, TimeUnit.SECONDS)));
            other.start();
            assertThat(mgr.runInternal(ns, () -> barrier.await(5, TimeUnit.SECONDS))).isBetween(0, 1);
            other.join();
            assertCallerUnchanged();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            mgr.release(ns);
        }
    }

    @Test
    void aWorkerThatATaskMovedIsDiscarded() throws Exception {
        LinuxNetns ns = mgr.create(null);
        try {
            int discarded = NamespaceExecutor.discardedWorkers();
            // misbehaving user code: switches its (netlib-owned) thread into yet another namespace
            long moved = mgr.run(ns, () -> {
                Syscalls.libc().unshare(LinuxConstants.CLONE_NEWNET);
                return threadInode();
            });
            assertThat(moved).isNotEqualTo(ns.inode());
            assertThat(NamespaceExecutor.discardedWorkers()).isEqualTo(discarded + 1);
            // the next task runs on a worker that really is inside
            for (int i = 0; i < 5; i++) {
                assertThat(mgr.run(ns, NlnSupport::threadInode)).isEqualTo(ns.inode());
            }
            assertCallerUnchanged();
        } finally {
            mgr.release(ns);
        }
    }

    @Test
    void switchingIsRefusedOnThreadsNetlibDoesNotOwn() {
        assertThatThrownBy(() -> NamespaceExecutor.requireWorker("setns"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("platform threads it owns");
        assertThat(NamespaceExecutor.onWorker()).isFalse();
    }

    @Test
    void socketsOpenedInsideStayThere() throws Exception {
        LinuxNetns ns = mgr.create(null);
        try {
            // A bound UDP socket is listed in /proc/thread-self/net/udp of its own namespace only
            // (that file shows the reading thread's namespace).
            int inside = mgr.openSocket(ns, LinuxConstants.AF_INET, 2 /* SOCK_DGRAM */, 0);
            int outside = mgr.openSocket(mgr.root(), LinuxConstants.AF_INET, 2, 0);
            try {
                assertThat(bind(inside, new byte[] {127, 0, 0, 1})).isZero();
                assertThat(bind(outside, new byte[] {127, 0, 0, 1})).isZero();
                String in = socketInode(inside);
                String out = socketInode(outside);
                String udpInside = mgr.run(ns, () -> Files.readString(Path.of("/proc/thread-self/net/udp")));
                String udpCaller = Files.readString(Path.of("/proc/thread-self/net/udp"));
                assertThat(udpInside).contains(" " + in + " ").doesNotContain(" " + out + " ");
                assertThat(udpCaller).contains(" " + out + " ").doesNotContain(" " + in + " ");
            } finally {
                Syscalls.closeQuietly(inside);
                Syscalls.closeQuietly(outside);
            }
            assertCallerUnchanged();
        } finally {
            mgr.release(ns);
        }
    }

    private static String socketInode(int fd) {
        String t = NsFiles.describeFd(fd); // socket:[12345]
        assertThat(t).startsWith("socket:[");
        return t.substring(8, t.length() - 1);
    }

    /** bind(fd, ADDR:0) of a UDP socket (no traffic): 0 or the errno. */
    private static int bind(int fd, byte[] addr) {
        java.nio.ByteBuffer sin = java.nio.ByteBuffer.allocateDirect(16).order(java.nio.ByteOrder.nativeOrder());
        sin.putShort(0, (short) LinuxConstants.AF_INET);
        sin.put(4, addr[0]).put(5, addr[1]).put(6, addr[2]).put(7, addr[3]);
        if (Syscalls.libc().bind(fd, sin, 16) == 0) {
            return 0;
        }
        return Syscalls.lastErrno().number();
    }

    @Test
    void aTaskRunInsideWhileCreatingSeesTheNewNamespace() {
        String n = name("inside");
        NetnsManager.Created<Long> c = mgr.create(n, NlnSupport::threadInode);
        assertThat(c.inside()).isEqualTo(c.ns().inode());
        assertCallerUnchanged();
        mgr.delete(c.ns());
        // a failing task: the namespace is not kept, nothing is left behind
        assertThatThrownBy(() -> mgr.create(null, () -> {
            throw new IllegalStateException("warm-up");
        })).hasMessage("warm-up");
        long fds = NlnSupport.openFds();
        String m = name("insidefail");
        assertThatThrownBy(() -> mgr.create(m, () -> {
            throw new IllegalStateException("refused inside");
        })).isInstanceOf(IllegalStateException.class).hasMessage("refused inside");
        // <=: a pipe of an earlier test's child process may be closed by a cleaner meanwhile
        assertThat(NlnSupport.openFds()).isLessThanOrEqualTo(fds);
        assertThat(NsFiles.NETNS_RUN_DIR.resolve(m)).doesNotExist();
        assertThat(sh("findmnt", "-n", "-l", "-o", "TARGET")).doesNotContain(m);
        assertThat(mgr.openRefs()).isZero();
        assertCallerUnchanged();
    }

    @Test
    void aPinnedFdOutlivesARelease() {
        LinuxNetns ns = mgr.create(null);
        long fds = NlnSupport.openFds();
        int fd = ns.pin();
        mgr.release(ns);
        assertThat(NsFiles.inodeOfFd(fd)).as("fd still open while pinned").isEqualTo(ns.inode());
        assertThatThrownBy(ns::pin).isInstanceOf(dev.netlib.error.KernelException.class).hasMessageContaining("EBADF");
        ns.unpin();
        // closed by the last unpin: the number no longer leads to the namespace (another thread may
        // reuse it for something else; the JVM opens and closes fds of its own, so no exact count)
        assertThat(NlnSupport.fdTable().get(fd)).as("fd " + fd + " after the last unpin").isNotEqualTo("net:[" + ns.inode() + "]");
        assertThat(NlnSupport.openFds()).isLessThan(fds + 1);
    }

    @Test
    void releasedManagerRefusesWork() {
        LinuxNetns ns = mgr.create(null);
        mgr.close();
        assertThat(ns.isReleased()).isTrue();
        assertThat(mgr.root().isReleased()).isTrue();
        assertThatThrownBy(() -> mgr.create(null)).hasMessageContaining("closed");
        mgr.close();
    }
}
