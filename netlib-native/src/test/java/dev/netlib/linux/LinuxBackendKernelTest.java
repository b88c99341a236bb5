package dev.netlib.linux;

import static dev.netlib.model.LinkAttributes.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netns.NlnSupport;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteLink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LinuxBackend assembled: ServiceLoader, per-namespace rtnetlink sockets, cleanup. Needs root. */
class LinuxBackendKernelTest {
    private LinuxBackend backend;
    private long callerInode;
    private final NlnSupport.Names names = new NlnSupport.Names();

    @BeforeEach
    void setUp() {
        NlnSupport.assumeRoot();
        callerInode = NlnSupport.threadInode();
        backend = new LinuxBackend();
    }

    @AfterEach
    void tearDown() {
        try {
            if (backend != null) {
                backend.close();
            }
        } finally {
            names.removeAll();
        }
    }

    private String name(String tag) {
        return names.name(tag);
    }

    private void assertCallerUnchanged() {
        assertThat(NlnSupport.threadInode()).as("caller thread's netns").isEqualTo(callerInode);
    }

    private static List<String> linkNames(List<LinkInfo> links) {
        return links.stream().map(LinkInfo::name).sorted().toList();
    }

    @Test
    void netlibOpenFindsTheLinuxBackend() {
        try (Netlib netlib = Netlib.open()) {
            assertThat(netlib.backend()).isInstanceOf(LinuxBackend.class);
            assertThat(netlib.backend().name()).isEqualTo("linux");
            assertThat(netlib.namespace().inode()).isEqualTo(callerInode);
            try (dev.netlib.Namespace ns = netlib.namespaces().createAnonymous()) {
                assertThat(netlib.in(ns).links()).extracting(LinkInfo::name).containsExactly("lo");
            }
        }
        assertCallerUnchanged();
    }

    @Test
    void vethPeerBornInsideAnotherNamespace() throws Exception {
        String hostName = name("host");
        NetnsRef host = backend.createNamespace(hostName);
        NetnsRef container = backend.createNamespace(null);
        try {
            assertThat(linkNames(backend.links(host))).containsExactly("lo");
            backend.apply(host, List.of(
                    new CreateLink("br0", NONE.withUp(true), BridgeSpec.DEFAULT),
                    new CreateLink("veth0", NONE.withMaster("br0").withUp(true), new VethSpec("eth0", NONE.withNetns(container)))));
            assertCallerUnchanged();
            assertThat(linkNames(backend.links(host))).containsExactly("br0", "lo", "veth0");
            assertThat(linkNames(backend.links(container))).containsExactly("eth0", "lo");
            LinkInfo veth = backend.link(host, "veth0").orElseThrow();
            assertThat(veth.master()).contains("br0");
            assertThat(veth.linkNetnsId()).isEqualTo(backend.namespaceId(host, container));
            assertThat(backend.namespaceId(host, container)).isGreaterThanOrEqualTo(0);
            assertThat(backend.link(host, "nothere")).isEmpty();
            // iproute2 sees the same
            assertThat(NlnSupport.sh("ip", "-n", hostName, "-o", "link", "show", "veth0")).contains("master br0");
            // errors: EEXIST maps, the caller stays where it was
            assertThatThrownBy(() -> backend.apply(host, new CreateLink("br0", NONE, BridgeSpec.DEFAULT)))
                    .isInstanceOf(AlreadyExistsException.class);
            assertCallerUnchanged();
            assertThatThrownBy(() -> backend.apply(host, new DeleteLink("nothere")))
                    .isInstanceOf(NotFoundException.class);
            assertCallerUnchanged();
            // the sysctls are the namespace's
            backend.writeSysctl(container, "net.ipv6.conf.eth0.disable_ipv6", "1");
            assertThat(backend.readSysctl(container, "net.ipv6.conf.eth0.disable_ipv6")).isEqualTo("1");
            assertThat(backend.openSockets()).isEqualTo(2);
            // deleting the anonymous container releases its fd and closes its socket
            backend.deleteNamespace(container);
            assertThat(backend.openSockets()).isEqualTo(1);
            // deleting the namespace takes the peer and with it veth0 (asynchronously: cleanup_net)
            waitFor(() -> backend.link(host, "veth0").isEmpty(), "veth0 gone with its peer's namespace");
        } finally {
            backend.release(container);
            backend.deleteNamespace(host);
        }
        assertThat(backend.openSockets()).isZero();
        assertThat(backend.listNamespaces()).doesNotContain(hostName);
        assertCallerUnchanged();
    }

    @Test
    void opensByNameShareNothingAndReleaseTheirSocket() {
        String n = name("open");
        NetnsRef made = backend.createNamespace(n);
        try {
            NetnsRef opened = backend.openNamespace(new NamespaceLocator.ByName(n));
            assertThat(opened.inode()).isEqualTo(made.inode());
            backend.apply(made, new CreateLink("d0", NONE, BridgeSpec.DEFAULT));
            assertThat(backend.link(opened, "d0")).isPresent();
            backend.release(opened);
            assertThat(backend.listNamespaces()).contains(n);
            assertThat(backend.link(made, "d0")).isPresent();
            assertThatThrownBy(() -> backend.links(opened)).hasMessageContaining("released");
        } finally {
            backend.deleteNamespace(made);
        }
        assertThat(backend.openSockets()).isZero();
    }

    @Test
    void closeReleasesEverything() {
        NetnsRef a = backend.createNamespace(null);
        backend.links(a);
        backend.links(backend.root());
        long fdsWithBackend = NlnSupport.openFds();
        backend.close();
        assertThat(NlnSupport.openFds()).isLessThan(fdsWithBackend);
        assertThat(backend.openSockets()).isZero();
        assertThatThrownBy(() -> backend.links(a)).hasMessageContaining("closed");
        backend.close();
    }

    @Test
    void eightThreadsBuildInTheirOwnNamespaces() throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                long mine = NlnSupport.threadInode();
                try {
                    for (int i = 0; i < 10; i++) {
                        NetnsRef host = backend.createNamespace(name("t" + id));
                        NetnsRef c = backend.createNamespace(null);
                        try {
                            backend.apply(host, List.of(
                                    new CreateLink("br" + id, NONE.withUp(true), BridgeSpec.DEFAULT),
                                    new CreateLink("v" + id + "-" + i, NONE.withMaster("br" + id).withUp(true),
                                            new VethSpec("eth0", NONE.withNetns(c)))));
                            assertThat(linkNames(backend.links(host))).containsExactly("br" + id, "lo", "v" + id + "-" + i);
                            assertThat(linkNames(backend.links(c))).containsExactly("eth0", "lo");
                            try {
                                backend.apply(host, new CreateLink("br" + id, NONE, BridgeSpec.DEFAULT));
                                throw new AssertionError("duplicate bridge accepted");
                            } catch (AlreadyExistsException expected) {
                                // fine
                            }
                        } finally {
                            backend.deleteNamespace(c);
                            backend.deleteNamespace(host);
                        }
                        if (NlnSupport.threadInode() != mine) {
                            throw new AssertionError("thread " + id + " moved");
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(TimeUnit.MINUTES.toMillis(3));
        }
        assertThat(failures).isEmpty();
        assertThat(backend.openSockets()).isZero();
        assertThat(backend.namespaces().openRefs()).isZero();
    }

    @Test
    void aThousandNamespaceAndVethCyclesLeaveNoFdBehind() throws Exception {
        NetnsRef host = backend.createNamespace(name("hygh"));
        try {
            for (int i = 0; i < 20; i++) {
                cycle(host, i);
            }
            long before = NlnSupport.openFds();
            var tableBefore = NlnSupport.fdTable();
            List<String> kindsBefore = NlnSupport.netlibKindFds();
            long t0 = System.nanoTime();
            for (int i = 20; i < 1020; i++) {
                cycle(host, i);
            }
            long us = (System.nanoTime() - t0) / 1000 / 1000;
            long after = NlnSupport.openFds();
            System.out.printf("linux backend hygiene: 1000 cycles of namespace + veth (peer born inside, own netlink socket) "
                    + "+ delete, %d us each; fds %d -> %d%n", us, before, after);
            if (after != before) {
                var now = NlnSupport.fdTable();
                var gone = new java.util.TreeMap<>(tableBefore);
                gone.entrySet().removeAll(now.entrySet());
                now.entrySet().removeAll(tableBefore.entrySet());
                System.out.println("fd table changed: new " + now + ", gone " + gone);
            }
            // every socket and namespace fd netlib opened is closed again (exactly); the total may differ
            // only by what the JVM itself opens or closes meanwhile
            assertThat(NlnSupport.netlibKindFds()).isEqualTo(kindsBefore);
            assertThat(after).as("fds before %s, after %s", tableBefore, NlnSupport.fdTable()).isBetween(before - 2, before + 2);
            assertThat(backend.openSockets()).isEqualTo(1); // the host's
            waitFor(() -> backend.links(host).size() == 1, "every host end gone with its peer's namespace");
        } finally {
            backend.deleteNamespace(host);
        }
    }

    private void cycle(NetnsRef host, int i) {
        NetnsRef c = backend.createNamespace(i % 2 == 0 ? null : name("hygc"));
        try {
            backend.apply(host, new CreateLink("h" + i, NONE, new VethSpec("eth0", NONE.withNetns(c).withUp(true))));
            if (backend.links(c).size() != 2) {
                throw new AssertionError("peer missing in cycle " + i);
            }
        } finally {
            backend.deleteNamespace(c);
        }
    }

    private static void waitFor(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
