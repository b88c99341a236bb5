package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.LinkInfo;
import dev.netlib.value.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * setns and unshare act on the calling OS thread, so a library that switched the caller's thread
 * would silently move the caller's later sockets into another namespace. These tests read the
 * caller thread's {@code /proc/thread-self/ns/net} inode after every public call, the failing ones
 * included, and run many threads that each work in their own namespaces at once.
 */
class ThreadSafetyKernelTest {
    private final TestNamespaces namespaces = new TestNamespaces();

    @AfterEach
    void noNamespaceLeft() {
        assertThat(namespaces.cleanUp()).as("test namespaces left after the handles were closed").isEmpty();
    }

    /** Runs {@code call}, checks the caller's namespace did not change, returns what it threw (or null). */
    private static final class Probe {
        final long inode = ThrowawayNetns.threadInode();
        final List<String> checked = new ArrayList<>();

        Throwable call(String label, Callable<?> call) {
            Throwable thrown = null;
            try {
                call.call();
            } catch (Throwable t) {
                thrown = t;
            }
            assertThat(ThrowawayNetns.threadInode()).as("caller's netns inode after " + label + (thrown == null ? "" : " (which threw " + thrown + ")"))
                    .isEqualTo(inode);
            checked.add(label);
            return thrown;
        }

        void ok(String label, Callable<?> call) {
            Throwable t = call(label, call);
            if (t != null) {
                throw new AssertionError(label + " failed", t);
            }
        }

        <T extends Throwable> T fails(String label, Class<T> expected, Callable<?> call) {
            Throwable t = call(label, call);
            assertThat(t).as(label + " must fail").isInstanceOf(expected);
            return expected.cast(t);
        }
    }

    @Test
    void callerThreadNeverChangesNamespaceEvenWhenCallsFail() throws Exception {
        E2e.skipUnlessRoot();
        Probe p = new Probe();
        Netlib[] box = new Netlib[1];
        if (p.call("Netlib.open()", () -> box[0] = Netlib.open()) instanceof dev.netlib.error.BackendUnavailableException e) {
            E2e.skip("no netlib backend found by Netlib.open(): " + e.getMessage());
        }
        try (Netlib netlib = box[0]) {
            String hostName = namespaces.track(E2e.name("tshost"));
            Namespace[] ns = new Namespace[4];
            p.ok("namespaces().create", () -> ns[0] = netlib.namespaces().create(hostName));
            p.fails("namespaces().create of an existing name", AlreadyExistsException.class, () -> netlib.namespaces().create(hostName));
            p.ok("namespaces().createAnonymous", () -> ns[1] = netlib.namespaces().createAnonymous());
            p.ok("namespaces().open(name)", () -> ns[2] = netlib.namespaces().open(hostName));
            assertThat(ns[2].inode()).isEqualTo(ns[0].inode());
            p.ok("namespaces().open(path)", () -> ns[3] = netlib.namespaces().open(Path.of("/var/run/netns", hostName)));
            assertThat(ns[3].inode()).isEqualTo(ns[0].inode());
            p.fails("namespaces().open of a missing name", NotFoundException.class, () -> netlib.namespaces().open(E2e.name("missing")));
            p.fails("namespaces().open of a missing path", NotFoundException.class,
                    () -> netlib.namespaces().open(Path.of("/var/run/netns", E2e.name("missing"))));
            p.fails("namespaces().ofPid of a dead pid", NetlibException.class, () -> netlib.namespaces().ofPid(Integer.MAX_VALUE - 7));
            p.ok("namespaces().ofPid(self)", () -> {
                try (Namespace self = netlib.namespaces().ofPid(ProcessHandle.current().pid())) {
                    return self.inode();
                }
            });
            p.ok("namespaces().list", () -> assertThat(netlib.namespaces().list()).contains(hostName));
            p.fails("namespaces().delete of a missing name", NotFoundException.class, () -> {
                netlib.namespaces().delete(E2e.name("missing"));
                return null;
            });
            try (Namespace host = ns[0]; Namespace anon = ns[1]; Namespace byName = ns[2]; Namespace byPath = ns[3]) {
                Netlib h = netlib.in(host);
                p.ok("link(lo).up", () -> h.link("lo").up());
                p.ok("bridge create", () -> h.bridge("br0").up().create());
                p.fails("bridge create duplicate", AlreadyExistsException.class, () -> h.bridge("br0").create());
                p.fails("link of a missing name", NotFoundException.class, () -> h.link("nope0"));
                p.ok("veth with peer in another namespace", () -> h.veth("v0").master("br0").up()
                        .peer("eth0", peer -> peer.namespace(anon).up()).create());
                p.fails("veth duplicate", AlreadyExistsException.class, () -> h.veth("v0").peer("v0p").create());
                p.ok("links", h::links);
                p.ok("addresses add", () -> {
                    h.addresses().add("br0", "10.99.0.1/24");
                    return null;
                });
                p.fails("addresses add duplicate", AlreadyExistsException.class, () -> {
                    h.addresses().add("br0", "10.99.0.1/24");
                    return null;
                });
                p.fails("addresses add on a missing link", NotFoundException.class, () -> {
                    h.addresses().add("nope0", "10.99.1.1/24");
                    return null;
                });
                p.ok("addresses list", () -> h.addresses().list());
                Netlib a = netlib.in(anon);
                p.ok("batch in the anonymous namespace", () -> {
                    a.batch().linkUp("lo").addAddress("eth0", "10.99.0.2/24").addDefaultRoute("10.99.0.1").apply();
                    return null;
                });
                p.fails("batch with a failing change", KernelException.class, () -> {
                    a.batch().addAddress("nope0", "10.99.2.2/24").apply();
                    return null;
                });
                p.ok("routes list", () -> a.routes().list());
                p.fails("route via an unreachable gateway", KernelException.class, () -> {
                    a.routes().to("10.200.0.0/16").via("10.98.0.1").add();
                    return null;
                });
                p.ok("neighbors add", () -> {
                    a.neighbors().add("eth0", "10.99.0.9", "02:00:00:00:00:09");
                    return null;
                });
                p.ok("neighbors list", () -> a.neighbors().list());
                p.ok("fdb list", () -> h.fdb().list());
                p.ok("sysctl set", () -> {
                    h.sysctls().set("net.ipv4.ip_forward", "1");
                    return null;
                });
                p.ok("sysctl get", () -> assertThat(h.sysctls().get("net.ipv4.ip_forward")).isEqualTo("1"));
                p.fails("sysctl get of a missing key", NetlibException.class, () -> h.sysctls().get("net.ipv4.nlk_no_such_key"));
                p.ok("run in the namespace", () -> {
                    long inside = host.run(ThrowawayNetns::threadInode);
                    assertThat(inside).as("Namespace.run runs inside the namespace").isEqualTo(host.inode());
                    assertThat(anon.run(ThrowawayNetns::threadInode)).isEqualTo(anon.inode());
                    return inside;
                });
                p.fails("run with a task that throws", IllegalStateException.class, () -> host.run(() -> {
                    throw new IllegalStateException("task failure");
                }));
                p.fails("run with a task that throws a checked exception", NetlibException.class, () -> host.run(() -> {
                    throw new java.io.IOException("checked task failure");
                }));
                p.ok("run after a failing task still runs inside", () -> assertThat(host.run(ThrowawayNetns::threadInode)).isEqualTo(host.inode()));
                p.ok("link delete", () -> {
                    h.link("v0").delete();
                    return null;
                });
                p.fails("link delete again", NotFoundException.class, () -> {
                    h.link("v0").delete();
                    return null;
                });
                p.ok("close a borrowed handle", () -> {
                    byPath.close();
                    return null;
                });
                // rtnl_group_dellink() answers ENODEV when no link is in the group
                p.fails("deleteLinkGroup of an unused group", NotFoundException.class, () -> {
                    h.deleteLinkGroup(77);
                    return null;
                });
            }
            p.ok("the namespace is gone after close", () -> assertThat(netlib.namespaces().list()).doesNotContain(hostName));
            p.fails("open a deleted namespace", NotFoundException.class, () -> netlib.namespaces().open(hostName));
            assertThat(p.checked).hasSizeGreaterThan(40);
        }
        assertThat(ThrowawayNetns.threadInode()).isEqualTo(p.inode);
    }

    /**
     * Eight threads at once, each in its own host namespace with the same link names as the
     * others: a bridge, then rounds of (anonymous namespace, veth with peer inside it on the bridge,
     * address, check, delete). Any mix-up between namespaces shows as EEXIST, a missing link or a
     * wrong final state; each thread's own namespace must never change.
     */
    @Test
    void eightThreadsEachInTheirOwnNamespacesProduceTheRightState() throws Exception {
        int threads = 8;
        int rounds = 25;
        try (Netlib netlib = E2e.openOrSkip()) {
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            Set<String> hostNames = ConcurrentHashMap.newKeySet();
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    results.add(pool.submit(() -> worker(netlib, id, rounds, start, hostNames)));
                }
                for (Future<String> f : results) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo("ok");
                }
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
            assertThat(hostNames).hasSize(threads);
            assertThat(netlib.namespaces().list()).doesNotContainAnyElementsOf(hostNames);
        }
    }

    private String worker(Netlib netlib, int id, int rounds, CyclicBarrier start, Set<String> hostNames) throws Exception {
        long myInode = ThrowawayNetns.threadInode();
        start.await(30, TimeUnit.SECONDS);
        try (Namespace hostNs = namespaces.create(netlib, "t" + id)) {
            hostNames.add(hostNs.name().orElseThrow());
            Netlib host = netlib.in(hostNs);
            host.link("lo").up();
            host.bridge("br0").up().ipv6LinkLocal(false).create().addAddress("10.50." + id + ".1/24");
            List<Namespace> kept = new ArrayList<>();
            try {
                for (int r = 0; r < rounds; r++) {
                    Namespace c = r % 2 == 0 ? netlib.namespaces().createAnonymous() : namespaces.create(netlib, "t" + id + "r" + r);
                    boolean keep = r % 5 == 0;
                    try {
                        String hostEnd = "h" + r;
                        host.veth(hostEnd).master("br0").ipv6LinkLocal(false).up()
                                .peer("eth0", p -> p.namespace(c).ipv6LinkLocal(false).up()).create();
                        Netlib inside = netlib.in(c);
                        String addr = "10.50." + id + "." + (10 + r) + "/24";
                        inside.addresses().add("eth0", addr);
                        LinkInfo eth0 = inside.findLink("eth0").orElseThrow();
                        LinkInfo h = host.findLink(hostEnd).orElseThrow();
                        assertThat(eth0.linkIndex()).as("thread " + id + " round " + r + ": eth0's peer").isEqualTo(h.index());
                        assertThat(h.masterName()).isEqualTo("br0");
                        assertThat(E2e.ipv4(inside.addresses().list("eth0"))).extracting(IpPrefix::toString).containsExactly(addr);
                        assertThat(inside.links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "eth0");
                        // code run by eight threads at once lands in the right namespaces
                        assertThat(c.run(ThrowawayNetns::threadInode)).as("Namespace.run in thread " + id + "'s container").isEqualTo(c.inode());
                        assertThat(hostNs.run(ThrowawayNetns::threadInode)).isEqualTo(hostNs.inode());
                        if (keep) {
                            kept.add(c);
                        } else {
                            host.link(hostEnd).delete(); // its peer goes with it
                            assertThat(inside.findLink("eth0")).isEmpty();
                        }
                    } finally {
                        if (!keep) {
                            c.close();
                        }
                    }
                    assertThat(ThrowawayNetns.threadInode()).as("thread " + id + "'s own namespace").isEqualTo(myInode);
                }
                Set<String> expected = new TreeSet<>(List.of("lo", "br0"));
                for (int r = 0; r < rounds; r += 5) {
                    expected.add("h" + r);
                }
                Set<String> actual = host.links().stream().map(LinkInfo::name).collect(Collectors.toCollection(TreeSet::new));
                assertThat(actual)
                        .as("links of thread " + id + "'s host namespace").isEqualTo(expected);
                for (Namespace c : kept) {
                    assertThat(netlib.in(c).findLink("eth0")).isPresent();
                }
            } finally {
                for (Namespace c : kept) {
                    c.close();
                }
            }
        }
        assertThat(ThrowawayNetns.threadInode()).isEqualTo(myInode);
        return "ok";
    }
}
