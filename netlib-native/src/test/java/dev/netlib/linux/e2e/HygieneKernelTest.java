package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.LinkInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing leaks: the number of open file descriptors of this process is the same before and after
 * 1,000 cycles of creating and deleting namespaces (named and anonymous) and veth pairs, and
 * afterwards no namespace file, mount or link of the test remains.
 */
class HygieneKernelTest {
    private static final int CYCLES = 1000;
    private static final int GROUP = 0x6e6b; // "nk": the host ends of the cycles that end by namespace deletion

    private final TestNamespaces namespaces = new TestNamespaces();

    @AfterEach
    void noNamespaceLeft() {
        assertThat(namespaces.cleanUp()).as("test namespaces left after the handles were closed").isEmpty();
    }

    @Test
    void fdCountUnchangedAfterThousandNamespaceAndVethCycles() throws Exception {
        try (Netlib netlib = E2e.openOrSkip()) {
            String hostName;
            long before;
            long after;
            long elapsedMs;
            try (Namespace hostNs = namespaces.create(netlib, "hyhost")) {
                hostName = hostNs.name().orElseThrow();
                Netlib host = netlib.in(hostNs);
                host.link("lo").up();
                host.bridge("br0").ipv6LinkLocal(false).up().create();

                // warm up every path once (class loading, worker threads, the host's socket) before counting
                cycle(netlib, host, -1, true);
                cycle(netlib, host, -2, false);
                awaitOnly(host, List.of("lo", "br0"));

                int threadsBefore = Thread.activeCount();
                before = E2e.openFdCount();
                long t0 = System.nanoTime();
                for (int i = 0; i < CYCLES; i++) {
                    cycle(netlib, host, i, i % 2 == 0);
                }
                elapsedMs = (System.nanoTime() - t0) / 1_000_000;
                // the kernel frees namespaces (and the veths inside them) asynchronously
                awaitOnly(host, List.of("lo", "br0"));
                after = E2e.openFdCount();
                int threadsAfter = Thread.activeCount();
                System.out.printf("hygiene: %d namespace+veth cycles in %d ms (%.2f ms/cycle); fds %d before, %d after; threads %d before, %d after%n",
                        CYCLES, elapsedMs, elapsedMs / (double) CYCLES, before, after, threadsBefore, threadsAfter);
                // netlib's namespace workers may idle in a small pool, but not one per namespace ever made
                assertThat(threadsAfter).as("live threads after %d cycles (before: %d)", CYCLES, threadsBefore)
                        .isLessThanOrEqualTo(threadsBefore + 16);
            }
            assertThat(after).as("open fds after %d create/delete cycles (before: %d)", CYCLES, before).isEqualTo(before);
            assertThat(netlib.namespaces().list()).noneMatch(n -> n.startsWith("nlk-hy"));
            assertThat(E2e.netnsFiles("nlk-hy")).as("files under /var/run/netns").isEmpty();
            assertThat(E2e.nlkMounts()).as("netns mounts of this test in /proc/self/mountinfo")
                    .noneMatch(l -> l.contains("/netns/nlk-hy"));
            assertThat(netlib.namespaces().list()).doesNotContain(hostName);
            // everything was built inside test namespaces: the caller's own namespace got nothing
            assertThat(netlib.links()).extracting(LinkInfo::name).noneMatch(n -> n.startsWith("nlk") || n.matches("c\\d+w?"));
        }
    }

    /**
     * One cycle: a namespace (named or anonymous), a veth whose peer is born inside it on the host's
     * bridge, an address inside; then removal. Every 10th cycle deletes the veth itself (16 ms of
     * kernel time each), the others leave it to the namespace's deletion.
     */
    private void cycle(Netlib netlib, Netlib host, int i, boolean named) {
        String hostEnd = "c" + (i & 0xffff) + (i < 0 ? "w" : "");
        try (Namespace c = named ? namespaces.create(netlib, "hy" + (i & 0xff)) : netlib.namespaces().createAnonymous()) {
            host.veth(hostEnd).master("br0").group(GROUP).ipv6LinkLocal(false).up()
                    .peer("eth0", p -> p.namespace(c).ipv6LinkLocal(false).up()).create();
            Netlib inside = netlib.in(c);
            inside.addresses().add("eth0", "10.66." + ((i & 0xffff) >> 8) + "." + (i & 0xff) + "/8");
            if (i % 10 == 0) {
                host.link(hostEnd).delete();
            }
        }
    }

    /** Waits (up to 30 s) until the host namespace holds exactly these links, then checks it. */
    private static void awaitOnly(Netlib host, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> now = List.of();
        while (System.nanoTime() < deadline) {
            now = host.links().stream().map(LinkInfo::name).sorted().collect(Collectors.toList());
            if (now.size() == names.size() && now.containsAll(names)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the host namespace still has links " + now + " 30 s after the cycles; expected " + names);
    }

    @Test
    void deletedNamedNamespaceLeavesNoFileNoMountAndNoLink() throws Exception {
        try (Netlib netlib = E2e.openOrSkip()) {
            String name;
            try (Namespace hostNs = namespaces.create(netlib, "hymnt")) {
                name = hostNs.name().orElseThrow();
                assertThat(Files.exists(Path.of("/var/run/netns", name))).isTrue();
                assertThat(E2e.nlkMounts()).anyMatch(l -> l.contains("/netns/" + name + " "));
                if (ThrowawayNetns.hasIp()) {
                    assertThat(E2e.ip("netns", "list")).contains(name);
                }
                try (Namespace c = namespaces.create(netlib, "hymntc")) {
                    netlib.in(hostNs).veth("v0").peer("eth0", p -> p.namespace(c)).create();
                }
                // the peer's namespace is gone, and the veth with it (asynchronously)
                awaitOnly(netlib.in(hostNs), List.of("lo"));
            }
            assertThat(Files.exists(Path.of("/var/run/netns", name))).isFalse();
            assertThat(E2e.nlkMounts()).noneMatch(l -> l.contains("/netns/" + name + " "));
            if (ThrowawayNetns.hasIp()) {
                assertThat(E2e.ip("netns", "list")).doesNotContain(name);
            }
        }
    }
}
