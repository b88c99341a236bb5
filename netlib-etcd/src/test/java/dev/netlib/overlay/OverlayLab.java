package dev.netlib.overlay;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import dev.netlib.testjvm.ChildJvm;
import dev.netlib.value.IpAddresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Three (or more) simulated hosts for overlay kernel tests: an underlay switch (bridge {@code ul0}) in
 * a namespace of its own, one namespace per host with {@code eth0} = 10.99.0.H/24 on it, a real etcd
 * on 127.0.0.1, and containers (namespaces) whose hosts files live in /etc/netns. Every name carries
 * this run's tag; {@link #close()} removes all of it, also after a failure.
 */
final class OverlayLab implements AutoCloseable {
    final String tag = "nlo" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    final String prefix = "t-" + UUID.randomUUID() + "/";
    final Netlib root = Netlib.open();
    final ThrowawayEtcd etcd;
    final Namespace underlay;
    final List<Namespace> hosts = new ArrayList<>();
    final List<Namespace> containers = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<EtcdClusterStore> stores = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();
    /** The agents' record directory (OverlayAgent.Builder.recordDir), a temp directory removed with the lab. */
    final Path recordDir;

    OverlayLab(int hostCount) throws Exception {
        recordDir = Files.createTempDirectory("netlib-overlay-records-");
        ThrowawayEtcd e = null;
        Namespace ul = null;
        try {
            e = EtcdForTests.start();
            ul = root.namespaces().create(tag + "-ul");
        } catch (Exception failure) {
            if (e != null) {
                e.close();
            }
            deleteDir(recordDir);
            throw failure;
        }
        etcd = e;
        underlay = ul;
        try {
            Netlib u = root.in(underlay);
            u.bridge("ul0").up().create();
            for (int h = 1; h <= hostCount; h++) {
                Namespace ns = root.namespaces().create(tag + "-h" + h);
                hosts.add(ns);
                u.veth("ul-h" + h).master("ul0").up().peer("eth0", p -> p.namespace(ns).up()).create();
                root.in(ns).batch().linkUp("lo").addAddress("eth0", "10.99.0." + h + "/24").apply();
            }
        } catch (RuntimeException failure) {
            close();
            throw failure;
        }
    }

    /** Skips the calling test, saying why, unless we are root with iproute2 (the kernel tests need both). */
    static void assumeRoot() throws IOException {
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "overlay kernel test needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN): skipped");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "overlay kernel test needs iproute2 (ip netns exec): skipped");
    }

    /** A client of the lab's etcd, closed with the lab. */
    EtcdClusterStore store() {
        EtcdClusterStore s = EtcdClusterStore.connect(etcd.endpoint());
        stores.add(s);
        return s;
    }

    Netlib host(int h) {
        return root.in(hosts.get(h - 1));
    }

    String hostNs(int h) {
        return hosts.get(h - 1).name().orElseThrow();
    }

    /** The settings of host {@code h}'s agent in this JVM (own store client, VTEP 10.99.0.H), not yet opened. */
    OverlayAgent.Builder builder(int h) {
        return builder(h, IpAddresses.parse("10.99.0." + h));
    }

    /** The settings of an agent for host {@code h} on VTEP address {@code vtep}, not yet opened. */
    OverlayAgent.Builder builder(int h, java.net.InetAddress vtep) {
        return builder(h, vtep, store());
    }

    /** The settings of an agent for host {@code h} on VTEP address {@code vtep} using {@code client} (e.g. a client whose watches fail). */
    OverlayAgent.Builder builder(int h, java.net.InetAddress vtep, dev.netlib.cluster.ClusterStore client) {
        return OverlayAgent.builder(host(h), client, HostId.of("h" + h), vtep).prefix(prefix).hostsRoot(Path.of("/etc/netns"))
                .recordDir(recordDir);
    }

    /**
     * Starts host {@code h} in a JVM of its own (see {@link OverlayHostMain}; killed with the lab) and
     * waits for its first line, which goes into {@code firstLine[0]}.
     */
    Process hostJvm(int h, String network, Namespace container, String name, String mode, String[] firstLine) throws Exception {
        long t0 = System.nanoTime();
        // jetcd's Vert.x makes a cache directory at start and removes it at exit, which a SIGKILLed
        // host never reaches: under the lab's directory, removed with it
        Process p = ChildJvm.builder(List.of("-Dvertx.cacheDirBase=" + recordDir.resolve("vertx-cache")),
                OverlayHostMain.class, etcd.endpoint(), prefix, hostNs(h), Integer.toString(h), network,
                container.name().orElseThrow(), name, mode, recordDir.toString()).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        StringBuilder log = new StringBuilder();
        while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
            log.append(line).append('\n');
            if (line.startsWith("READY ") || line.startsWith("DEVICES ")) {
                firstLine[0] = line;
                System.out.printf("host %d JVM up in %d ms%n", h, (System.nanoTime() - t0) / 1_000_000);
                return p;
            }
        }
        throw new AssertionError("host " + h + " JVM did not come up:\n" + log);
    }

    /** A container namespace named {@code TAG-NAME}. */
    Namespace container(String name) {
        Namespace ns = root.namespaces().create(tag + "-" + name);
        containers.add(ns);
        return ns;
    }

    /** Runs a command and returns its stdout (stderr appended on failure). */
    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    /** Resolves {@code name} inside the container the way programs there do (its /etc/hosts is the netns hosts file). */
    String resolve(Namespace container, String name) throws Exception {
        return sh("ip", "netns", "exec", container.name().orElseThrow(), "getent", "hosts", name).trim();
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (EtcdClusterStore s : stores) {
            s.close();
        }
        for (Namespace c : List.copyOf(containers)) {
            deleteQuietly(c);
            deleteDir(Path.of("/etc/netns", c.name().orElseThrow()));
        }
        for (Namespace h : hosts) {
            deleteQuietly(h);
        }
        if (underlay != null) {
            deleteQuietly(underlay);
        }
        root.close();
        if (etcd != null) {
            etcd.close();
        }
        deleteDir(recordDir);
    }

    private static void deleteQuietly(Namespace ns) {
        try {
            ns.close();
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e);
        }
    }

    private static void deleteDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
