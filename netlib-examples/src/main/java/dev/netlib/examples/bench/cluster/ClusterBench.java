package dev.netlib.examples.bench.cluster;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.examples.bench.FileTrees;
import dev.netlib.value.IpAddresses;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * {@code cluster-bench}: H simulated hosts (namespaces on an underlay switch in a namespace of its
 * own), C containers per host on one overlay network, one real etcd; each host an independent {@code
 * Networks} with its own store client and lease. Measures, reading every kernel back through netlib's
 * neighbour and FDB dumps: build time, join / graceful leave / crash convergence to every peer, a TCP
 * full-mesh check, store cost per join and leave, memory, threads and kernel entries per host;
 * optionally a churn run and a chaos run (kill -9 of a host's JVM, etcd restart, a 5 s underlay
 * partition, compaction) with the probes lost during each fault and a final kernel-equals-store check.
 *
 * <p>Runs as root; removes everything it made (namespaces, links, hosts files, etcd and its data,
 * child JVMs) at the end, on failure and on Ctrl-C.
 */
public final class ClusterBench {
    static final String NETWORK = "clu";
    static final String SUBNET = "10.128.0.0/16";

    private final BenchOptions o;
    private final PrintStream out;
    private final Progress progress;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private SimCluster sim;
    private ClusterHost[] hosts;
    private final Map<Integer, Netlib> kernels = new LinkedHashMap<>();
    private final List<MeshProbe.Member> members = new CopyOnWriteArrayList<>();
    private final Map<Integer, List<ClusterHost.Joined>> joined = new LinkedHashMap<>();
    private final List<Long> crashNanos = new ArrayList<>();
    private EtcdClusterStore truth;
    private MeshProbe mesh;
    private String vxlan;
    private final AtomicInteger nextId = new AtomicInteger();

    private ClusterBench(BenchOptions o, PrintStream out) {
        this.o = o;
        this.out = out;
        this.progress = new Progress(System.err);
    }

    /** Runs the bench with {@code args} (see {@link BenchOptions#USAGE}); exits 1 when a check failed. */
    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result r;
        try {
            r = run(o, System.out);
        } catch (Exception e) {
            if (SimCluster.interrupted()) {
                System.err.println("cluster-bench interrupted; the simulated cluster was removed");
                return; // the JVM is exiting: the hook has run
            }
            throw e;
        }
        if (!r.problems().isEmpty()) {
            System.exit(1);
        }
    }

    /**
     * What a run found.
     *
     * @param figures every figure, as written to the JSON line
     * @param problems failed checks (empty: all good)
     */
    record Result(Map<String, Object> figures, List<String> problems) {}

    /** Runs the bench and prints its report to {@code out}. */
    static Result run(BenchOptions o, PrintStream out) throws Exception {
        quietLogs();
        ClusterBench b = new ClusterBench(o, out);
        try {
            b.runAll();
        } catch (Exception | Error e) {
            if (b.sim != null) {
                b.sim.abort();
            }
            throw e;
        } finally {
            b.progress.close();
            if (b.sim != null) {
                b.progress.phase("cleaning up");
                b.sim.close();
            }
        }
        if (o.json() != null) {
            Files.writeString(o.json(), Json.of(b.json) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        b.say("%s%n", b.problems.isEmpty() ? "all checks passed" : "FAILED CHECKS:\n  " + String.join("\n  ", b.problems));
        return new Result(b.json, b.problems);
    }

    /** Keeps netlib's and gRPC's logs to errors: the bench's own lines are its output. */
    static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        java.util.logging.Logger.getLogger("io.grpc").setLevel(java.util.logging.Level.OFF);
        java.util.logging.Logger.getLogger("io.netty").setLevel(java.util.logging.Level.OFF);
    }

    private void runAll() throws Exception {
        int h = o.hosts();
        int c = o.containers();
        json.put("hosts", h);
        json.put("containers_per_host", c);
        json.put("jvm_per_host", o.jvmPerHost());
        json.put("lease_ttl_s", o.leaseTtlSeconds());
        json.put("churn_s", o.churnSeconds());
        json.put("chaos", o.chaos());
        json.put("names", o.names());
        json.put("load_at_start", loadAverage());
        say("cluster-bench: %d hosts x %d containers on one overlay network, one etcd, %s; lease TTL %d s; load average %s%n",
                h, c, o.jvmPerHost() ? "one JVM per host" : "all hosts in this JVM" + (o.chaos() ? " (the last one in a child JVM, for kill -9)" : ""),
                o.leaseTtlSeconds(), loadAverage());
        long start = System.nanoTime();
        progress.phase("underlay, " + h + " host namespaces, etcd");
        sim = SimCluster.build(h);
        json.put("tag", sim.tag);
        json.put("etcd_data_dir", sim.etcd().dataDir().toString());
        truth = EtcdClusterStore.connect(sim.etcd().endpoint());
        sim.onClose(truth);
        Baseline base = Baseline.now();
        openHosts();
        hosts[0].createNetwork(NETWORK, SUBNET);
        build();
        meshCheck();
        samples();
        resources(base);
        if (o.churnSeconds() > 0) {
            new Churn(this).run();
        }
        if (o.chaos()) {
            new Chaos(this).run();
        }
        hostLeaveAndCrash();
        finalCheck("end of run");
        targets();
        double total = (System.nanoTime() - start) / 1e9;
        json.put("total_s", round(total));
        say("total %.1f s (cleanup follows)%n", total);
    }

    // ---- hosts --------------------------------------------------------------------------------

    private void openHosts() throws Exception {
        int h = o.hosts();
        hosts = new ClusterHost[h];
        progress.phase("opening " + h + " hosts (Networks + etcd client + lease each)");
        Path log = Files.createTempFile("nlc-hosts-", ".log");
        sim.onClose(() -> Files.deleteIfExists(log));
        // the child JVMs' Vert.x (jetcd) cache directories: a child killed with SIGKILL cannot remove its own
        Path vertxCaches = Files.createTempDirectory("nlc-vertx-");
        sim.onClose(() -> FileTrees.deleteTree(vertxCaches));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, h));
        try {
            List<Future<ClusterHost>> fs = new ArrayList<>();
            for (int i = 1; i <= h; i++) {
                int idx = i;
                boolean child = o.jvmPerHost() || (o.chaos() && idx == h);
                fs.add(pool.submit(() -> child
                        ? new ChildHost(idx, sim.hostName(idx), sim.etcd().endpoint(), o.leaseTtlSeconds(), o.names(), log, vertxCaches)
                        : new InProcessHost(idx, sim.root, sim.hostNetlib(idx), sim.etcd().endpoint(), Duration.ofSeconds(o.leaseTtlSeconds()),
                                o.names())));
            }
            Exception failure = null;
            for (int i = 0; i < h; i++) {
                ClusterHost host;
                try {
                    host = fs.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = failure == null ? e : failure; // the others that opened are still registered for cleanup
                    continue;
                }
                hosts[i] = host;
                sim.onClose(() -> {
                    if (sim.aborting()) {
                        host.crash(); // no graceful leave: etcd may be gone, and Ctrl-C wants a quick exit
                    }
                    host.close();
                });
                kernels.put(i + 1, sim.hostNetlib(i + 1));
                joined.put(i + 1, new CopyOnWriteArrayList<>());
                progress.tick(i + 1, h);
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
    }

    ClusterHost host(int i) {
        return hosts[i - 1];
    }

    boolean alive(int i) {
        return joined.containsKey(i) && !host(i).crashed();
    }

    List<Integer> liveHosts() {
        List<Integer> l = new ArrayList<>();
        for (int i = 1; i <= o.hosts(); i++) {
            if (alive(i)) {
                l.add(i);
            }
        }
        return l;
    }

    // ---- build --------------------------------------------------------------------------------

    private void build() throws Exception {
        int h = o.hosts();
        int c = o.containers();
        progress.phase("creating " + h * c + " container namespaces");
        Namespace[][] ns = new Namespace[h][c];
        AtomicInteger made = new AtomicInteger();
        parallel(h, i -> {
            for (int k = 0; k < c; k++) {
                ns[i - 1][k] = sim.container("h" + i + "-c" + k);
                progress.tick(made.incrementAndGet(), h * c);
            }
        });
        progress.phase("build: " + h * c + " connects, hosts in parallel");
        List<Long> connectNanos = new CopyOnWriteArrayList<>();
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        parallel(h, i -> {
            for (int k = 0; k < c; k++) {
                long s = System.nanoTime();
                ClusterHost.Joined j = host(i).connect(NETWORK, ns[i - 1][k].name().orElseThrow());
                connectNanos.add(System.nanoTime() - s);
                joined.get(i).add(j);
                members.add(new MeshProbe.Member(nextId.getAndIncrement(), i, ns[i - 1][k], j.ip()));
                progress.tick(done.incrementAndGet(), h * c);
            }
        });
        long buildNanos = System.nanoTime() - t0;
        vxlan = discoverVxlan();
        progress.phase("waiting until every host's kernel has the whole mesh");
        int expected = (h - 1) * c;
        Map<Integer, Long> conv = Converge.await(kernels, vxlan, i -> false, Converge.counts(expected, expected), t0 + buildNanos, 120_000);
        long settle = Converge.all(conv);
        double perEp = buildNanos / 1e6 / (h * c);
        Stats connect = Stats.ofNanos(connectNanos);
        say("build: %d endpoints in %.2f s = %.1f ms per endpoint (wall, hosts in parallel); one connect() %s%n",
                h * c, buildNanos / 1e9, perEp, connect);
        say("       every kernel complete %s after the last connect returned%n", settle < 0 ? "NEVER (120 s)" : ms(settle) + " ms");
        json.put("build_s", round(buildNanos / 1e9));
        json.put("build_ms_per_endpoint", round(perEp));
        json.put("connect", connect);
        json.put("build_settle_ms", settle < 0 ? -1 : round(settle / 1e6));
        if (settle < 0) {
            problems.add("the mesh never completed on every host after the build");
        }
    }

    private String discoverVxlan() {
        return kernels.get(1).links().stream().map(l -> l.name()).filter(n -> n.startsWith("nlv-")).findFirst()
                .orElseThrow(() -> new IllegalStateException("host 1 has no nlv-* VXLAN device after the build"));
    }

    // ---- mesh ---------------------------------------------------------------------------------

    /**
     * Every container connects over TCP to {@code meshSample} random others (all, when fewer). One
     * source at a time, its targets in chunks probed in parallel; after each chunk the neighbour
     * entries the probes made (the source's for the targets, each target's for the source) are
     * deleted again. Why: the kernel's ARP table is one table for every namespace of the machine, with
     * one limit (gc_thresh3, 1024 by default, entries younger than 5 s never collected); 400
     * containers x 200 peers would overflow it ("neighbor table overflow", ENOBUFS) for everybody on
     * the machine. Docker raises gc_thresh1/2/3 to 8192/49152/65536 for this; the bench may not touch
     * the machine's sysctls, so it recycles the entries instead.
     */
    private void meshCheck() throws Exception {
        mesh = new MeshProbe();
        sim.onClose(mesh);
        progress.phase("starting a TCP server in every container");
        for (MeshProbe.Member m : members) {
            mesh.serve(m);
        }
        List<MeshProbe.Member> all = List.copyOf(members);
        int k = Math.min(o.meshSample(), all.size() - 1);
        long total = (long) all.size() * k;
        progress.phase("full-mesh TCP check: " + all.size() + " containers x " + k + (k == all.size() - 1 ? " (all pairs)" : " random others"));
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(MESH_THREADS);
        try {
            for (MeshProbe.Member from : all) {
                List<MeshProbe.Member> others = new ArrayList<>(all);
                others.remove(from);
                Collections.shuffle(others, ThreadLocalRandom.current());
                List<MeshProbe.Member> targets = others.subList(0, k);
                for (int c = 0; c < k; c += MESH_CHUNK) {
                    List<MeshProbe.Member> chunk = targets.subList(c, Math.min(k, c + MESH_CHUNK));
                    var sockets = MeshProbe.sockets(from, chunk.size());
                    List<Future<?>> fs = new ArrayList<>();
                    for (int i = 0; i < chunk.size(); i++) {
                        MeshProbe.Member to = chunk.get(i);
                        var socket = sockets.get(i);
                        fs.add(pool.submit(() -> {
                            if (!MeshProbe.probe(socket, to, 3000)) {
                                failed.incrementAndGet();
                                if (firstFailures.size() < 5) {
                                    firstFailures.add("h" + from.host() + " " + IpAddresses.format(from.ip()) + " -> h" + to.host() + " "
                                            + IpAddresses.format(to.ip()));
                                }
                            }
                            progress.tick(done.incrementAndGet(), total);
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                    forgetNeighbours(from, chunk);
                }
            }
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        say("full mesh: %d TCP connections (%d containers x %s) in %.1f s, %d failed%s%n", total, all.size(),
                k == all.size() - 1 ? "all " + k + " others" : k + " random others", secs, failed.get(),
                firstFailures.isEmpty() ? "" : " e.g. " + firstFailures);
        json.put("mesh_probes", total);
        json.put("mesh_failed", failed.get());
        json.put("mesh_s", round(secs));
        if (failed.get() > 0) {
            problems.add(failed.get() + " of " + total + " full-mesh TCP probes failed");
        }
    }

    private static final int MESH_THREADS = 8;
    private static final int MESH_CHUNK = 40;

    /** Deletes the ARP entries a source and its targets made for each other (see {@link #meshCheck}). Equivalent to: {@code ip -n C neigh del IP dev eth0}. */
    private void forgetNeighbours(MeshProbe.Member from, List<MeshProbe.Member> targets) {
        Netlib src = sim.root.in(from.ns());
        String fromIp = IpAddresses.format(from.ip());
        for (MeshProbe.Member to : targets) {
            deleteNeighbour(src, IpAddresses.format(to.ip()));
            deleteNeighbour(sim.root.in(to.ns()), fromIp);
        }
    }

    private static void deleteNeighbour(Netlib ns, String ip) {
        try {
            ns.neighbors().delete("eth0", ip);
        } catch (RuntimeException absent) {
            // never resolved, or already gone
        }
    }

    // ---- samples: join and leave one at a time ------------------------------------------------

    private void samples() {
        int s = o.samples();
        if (s == 0) {
            return;
        }
        progress.phase(s + " sampled joins and leaves, one at a time, read back from every peer's kernel");
        List<Long> join = new ArrayList<>();
        List<Long> leave = new ArrayList<>();
        List<Long> joinPeers = new ArrayList<>();
        StoreCounters joinCost = StoreCounters.ZERO;
        StoreCounters leaveCost = StoreCounters.ZERO;
        long watchPerPeer = 0;
        int peerCount = 0;
        for (int k = 0; k < s; k++) {
            List<Integer> live = liveHosts();
            int i = live.get(k % live.size());
            Namespace ns = sim.container("s" + k);
            String name = ns.name().orElseThrow();
            Map<Integer, StoreCounters> before = counters(live);
            ClusterHost.Joined j = host(i).connect(NETWORK, name);
            StoreCounters afterJoin = host(i).counters();
            Predicate<Integer> skip = x -> x == i || !alive(x);
            Map<Integer, Long> perHost = Converge.await(kernels, vxlan, skip,
                    Converge.present(IpAddresses.format(j.ip()), j.mac(), SimCluster.vtep(i)), j.returnedNanos(), 10_000);
            join.add(Converge.all(perHost));
            joinPeers.addAll(perHost.values());
            Map<Integer, StoreCounters> mid = counters(live);
            for (int p : live) {
                if (p != i) {
                    watchPerPeer += mid.get(p).watchEvents() - before.get(p).watchEvents();
                    peerCount++;
                }
            }
            joinCost = joinCost.plus(afterJoin.minus(before.get(i)));
            long leaveStart = System.nanoTime();
            host(i).disconnect(NETWORK, name);
            StoreCounters afterLeave = host(i).counters();
            leaveCost = leaveCost.plus(afterLeave.minus(mid.get(i)));
            perHost = Converge.await(kernels, vxlan, skip, Converge.absent(List.of(IpAddresses.format(j.ip())), List.of(j.mac())), leaveStart, 10_000);
            leave.add(Converge.all(perHost));
            sim.removeContainer(ns);
            progress.tick(k + 1, s);
        }
        Stats js = Stats.ofNanos(join);
        Stats ls = Stats.ofNanos(leave);
        say("join convergence  (connect() returned -> every other host has neighbour + FDB in its kernel): %s%n", js);
        say("                  (per peer: %s)%n", Stats.ofNanos(joinPeers));
        say("graceful leave    (disconnect() called -> every other host clean):                    %s%n", ls);
        double n = Math.max(1, s);
        say("store cost per join:  %.1f requests, %.0f B sent, %.0f B received; per leave: %.1f requests, %.0f B sent, %.0f B received%n",
                joinCost.requests() / n, joinCost.bytesOut() / n, joinCost.bytesIn() / n, leaveCost.requests() / n, leaveCost.bytesOut() / n,
                leaveCost.bytesIn() / n);
        say("watch events per peer host per join: %.1f%n", peerCount == 0 ? 0.0 : (double) watchPerPeer / peerCount);
        json.put("join", js);
        json.put("leave", ls);
        json.put("join_requests", round(joinCost.requests() / n));
        json.put("join_bytes_out", round(joinCost.bytesOut() / n));
        json.put("join_bytes_in", round(joinCost.bytesIn() / n));
        json.put("leave_requests", round(leaveCost.requests() / n));
        json.put("leave_bytes_out", round(leaveCost.bytesOut() / n));
        json.put("watch_events_per_peer_per_join", peerCount == 0 ? 0 : round((double) watchPerPeer / peerCount));
        if (js.timedOut() > 0 || ls.timedOut() > 0) {
            problems.add("sampled joins/leaves that never converged: " + js.timedOut() + " joins, " + ls.timedOut() + " leaves");
        }
    }

    Map<Integer, StoreCounters> counters(List<Integer> live) {
        Map<Integer, StoreCounters> m = new LinkedHashMap<>();
        for (int p : live) {
            m.put(p, host(p).counters());
        }
        return m;
    }

    // ---- resources ----------------------------------------------------------------------------

    private void resources(Baseline base) {
        progress.phase("memory, threads, kernel entries");
        List<Integer> live = liveHosts();
        long events = 0;
        long keepAlives = 0;
        for (int p : live) {
            StoreCounters sc = host(p).counters();
            events += sc.watchEvents();
            keepAlives += sc.keepAlives();
        }
        Baseline now = Baseline.now();
        int h = live.size();
        if (o.jvmPerHost()) {
            long rss = 0;
            long threads = 0;
            for (int p : live) {
                rss += host(p).rssBytes();
                threads += host(p).threads();
            }
            say("per host (own JVM): %.0f MiB resident, %.0f threads%n", rss / 1048576.0 / h, (double) threads / h);
            json.put("host_rss_mib", round(rss / 1048576.0 / h));
            json.put("host_threads", round((double) threads / h));
        } else {
            long own = 0;
            for (int p : live) {
                own += host(p).threads();
            }
            double heap = (now.heapBytes() - base.heapBytes()) / 1048576.0 / h;
            double threads = (double) (now.threads() - base.threads()) / h;
            say("per host (shared JVM): %.1f MiB heap after GC, %.1f JVM threads (%.1f of them the agent's own, the rest its etcd client)%n",
                    heap, threads, (double) own / h);
            json.put("host_heap_mib", round(heap));
            json.put("host_threads", round(threads));
        }
        say("watch events received per host so far: %.0f; lease keep-alives per host: %.0f%n", (double) events / h, (double) keepAlives / h);
        json.put("watch_events_per_host", round((double) events / h));
        int expectedRemote = (o.hosts() - 1) * o.containers();
        long minE = Long.MAX_VALUE;
        long maxE = 0;
        for (int p : live) {
            KernelTables t = KernelTables.read(kernels.get(p), vxlan);
            minE = Math.min(minE, t.entries());
            maxE = Math.max(maxE, t.entries());
        }
        say("kernel entries per host (neighbour + FDB on %s): %d..%d, expected %d (2 x %d remote endpoints)%n", vxlan, minE, maxE,
                2 * expectedRemote, expectedRemote);
        json.put("kernel_entries_min", minE);
        json.put("kernel_entries_max", maxE);
        json.put("kernel_entries_expected", 2L * expectedRemote);
        if (minE != 2L * expectedRemote || maxE != 2L * expectedRemote) {
            problems.add("kernel entries per host " + minE + ".." + maxE + ", expected " + 2 * expectedRemote);
        }
    }

    /**
     * The JVM's threads and heap (after a GC) at one moment.
     *
     * @param threads live threads
     * @param heapBytes heap in use
     */
    record Baseline(long threads, long heapBytes) {
        static Baseline now() {
            System.gc();
            Runtime r = Runtime.getRuntime();
            return new Baseline(Thread.activeCount(), r.totalMemory() - r.freeMemory());
        }
    }

    // ---- a host leaving and a host crashing ---------------------------------------------------

    private void hostLeaveAndCrash() {
        List<Integer> live = liveHosts();
        if (live.size() < 2) {
            return;
        }
        int leaving = live.get(live.size() - 1);
        progress.phase("host " + leaving + " closes (lease revoked)");
        long t = System.nanoTime();
        host(leaving).close();
        Map<Integer, Long> gone = awaitWithdrawn(leaving, t, 10_000);
        joined.remove(leaving);
        dropMembers(leaving);
        Stats leaveHost = Stats.ofNanos(new ArrayList<>(gone.values()));
        say("host leave        (close(): lease revoked -> each peer clean of its %d endpoints): %s%n", o.containers(), leaveHost);
        json.put("host_leave", leaveHost);
        if (live.size() < 3) {
            if (!crashNanos.isEmpty()) {
                reportCrashes();
            }
            return; // no host left to crash with a peer watching (the chaos run crashed one already)
        }
        int crashing = live.get(live.size() - 2);
        progress.phase("host " + crashing + " crashes (" + (host(crashing) instanceof ChildHost ? "kill -9 of its JVM" : "its etcd client cut off")
                + "); waiting for its lease (" + o.leaseTtlSeconds() + " s) to expire");
        crash(crashing);
        reportCrashes();
    }

    private void reportCrashes() {
        Stats cs = Stats.ofNanos(crashNanos);
        say("crash withdrawal  (crash -> each peer clean; target TTL + 1 s = %d ms): %s%n", (o.leaseTtlSeconds() + 1) * 1000, cs);
        json.put("crash", cs);
        if (cs.timedOut() > 0) {
            problems.add("a crashed host's endpoints were never withdrawn from " + cs.timedOut() + " peer(s)");
        }
    }

    /** Crashes host {@code i} and waits until every live peer is clean of it; notes the per-peer times. */
    Map<Integer, Long> crash(int i) {
        long t = System.nanoTime();
        host(i).crash();
        Map<Integer, Long> gone = awaitWithdrawn(i, t, (o.leaseTtlSeconds() + 10) * 1000L);
        crashNanos.addAll(gone.values());
        dropMembers(i);
        return gone;
    }

    Map<Integer, Long> awaitWithdrawn(int i, long since, long timeoutMs) {
        List<String> ips = joined.get(i).stream().map(j -> IpAddresses.format(j.ip())).toList();
        List<String> macs = joined.get(i).stream().map(ClusterHost.Joined::mac).toList();
        return Converge.await(kernels, vxlan, x -> x == i || !alive(x), Converge.absent(ips, macs), since, timeoutMs);
    }

    private void dropMembers(int i) {
        members.removeIf(m -> m.host() == i);
    }

    // ---- final check --------------------------------------------------------------------------

    /** Every live host's kernel equals the store (waits up to 5 s for changes in flight); no address announced twice. */
    void finalCheck(String when) {
        progress.phase("kernel-equals-store check on every host (" + when + ")");
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> diffs;
        List<String> dups;
        do {
            diffs = new ArrayList<>();
            List<StoreAdverts.Advert> all = StoreAdverts.read(truth);
            dups = StoreAdverts.duplicateAddresses(all);
            for (int p : liveHosts()) {
                KernelTables t = KernelTables.read(kernels.get(p), vxlan);
                for (String d : t.diff(StoreAdverts.expectedOn(all, "h" + p))) {
                    diffs.add("h" + p + ": " + d);
                }
            }
        } while (!diffs.isEmpty() && System.nanoTime() < deadline && sleep(100));
        say("kernel equals store (%s): %s; duplicate addresses in the store: %d%n", when,
                diffs.isEmpty() ? "yes, on all " + liveHosts().size() + " live hosts" : diffs.size() + " differences, e.g. " + diffs.subList(0, Math.min(5, diffs.size())),
                dups.size());
        String key = when.replaceAll("[^a-z]+", "_");
        json.put("stale_" + key, diffs.size());
        json.put("duplicates_" + key, dups.size());
        if (!diffs.isEmpty()) {
            problems.add(when + ": " + diffs.size() + " kernel-vs-store differences, e.g. " + diffs.get(0));
        }
        if (!dups.isEmpty()) {
            problems.add(when + ": duplicate addresses " + dups);
        }
    }

    /** The targets against this run's figures: printed and recorded, never failing the run (a loaded machine misses them). */
    private void targets() {
        List<String> lines = new ArrayList<>();
        Stats join = (Stats) json.get("join");
        Stats leave = (Stats) json.get("leave");
        Stats crash = (Stats) json.get("crash");
        if (join != null) {
            lines.add(target("join p50 < 50 ms", join.p50() < 50, join.p50()));
            lines.add(target("join p99 < 300 ms", join.p99() < 300, join.p99()));
        }
        if (leave != null) {
            lines.add(target("graceful leave p99 < 300 ms", leave.p99() < 300, leave.p99()));
        }
        if (crash != null) {
            lines.add(target("crash withdrawal <= TTL + 1 s", crash.max() <= (o.leaseTtlSeconds() + 1) * 1000.0, crash.max()));
        }
        long missed = lines.stream().filter(l -> l.contains("MISSED")).count();
        json.put("targets_missed", missed);
        say("targets (recorded, not enforced; the issue sets them for H = 20): %s%n", String.join("; ", lines));
    }

    private static String target(String what, boolean met, double ms) {
        return String.format(Locale.ROOT, "%s: %s (%.1f ms)", what, met ? "met" : "MISSED", ms);
    }

    // ---- helpers ------------------------------------------------------------------------------

    interface HostTask {
        void run(int host) throws Exception;
    }

    /** Runs {@code task} for every host on its own thread and waits for all (the first failure is rethrown). */
    void parallel(int h, HostTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(h);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 1; i <= h; i++) {
                int idx = i;
                fs.add(pool.submit(() -> {
                    task.run(idx);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Prints a result line on stdout (after ending the progress line on stderr). */
    void say(String format, Object... args) {
        progress.clear();
        out.printf(Locale.ROOT, format, args);
        out.flush();
    }

    static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    BenchOptions options() {
        return o;
    }

    PrintStream out() {
        return out;
    }

    Progress progress() {
        return progress;
    }

    SimCluster sim() {
        return sim;
    }

    List<MeshProbe.Member> members() {
        return members;
    }

    MeshProbe mesh() {
        return mesh;
    }

    Map<Integer, Netlib> kernels() {
        return kernels;
    }

    String vxlan() {
        return vxlan;
    }

    EtcdClusterStore truth() {
        return truth;
    }

    Map<String, Object> json() {
        return json;
    }

    List<String> problems() {
        return problems;
    }

    int newMemberId() {
        return nextId.getAndIncrement();
    }
}
