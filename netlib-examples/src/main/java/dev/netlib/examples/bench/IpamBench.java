package dev.netlib.examples.bench;

import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpPool;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.ipam.etcd.EtcdIpamStore;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Allocations and releases per second of {@link IpPool} on the memory, file and etcd stores, with 1
 * thread and with 8 threads (sharing one pool object, or each with its own so they race through
 * compare-and-swap like separate processes), and for comparison the CNI host-local IPAM plugin run
 * as one process per allocation, as container runtimes run it.
 *
 * <p>{@code ipam-bench [N]}: N allocations per memory run (default 8000); the file, etcd and CNI
 * runs use N/10 (fsync-bound). etcd: a throwaway etcd on 127.0.0.1 if the {@code etcd} binary is
 * installed, or the endpoint in {@code NB_ETCD}. CNI: {@code /usr/lib/cni/host-local} (Debian's
 * containernetworking-plugins), or {@code NB_CNI_PLUGIN}. Everything it makes is named {@code nlb-*}
 * and removed at the end.
 */
public final class IpamBench {
    private IpamBench() {}

    private record Row(String store, int threads, String objects, int ops, double allocPerSec, double releasePerSec) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        int slow = Math.max(80, n / 10);
        List<Row> rows = new ArrayList<>();
        Path tmp = Files.createTempDirectory("nlb-ipam-");
        try {
            try (IpamStore warm = new MemoryIpamStore()) {
                run("warm-up", warm, 8, false, n); // JIT-compile the allocation path before measuring anything
            }
            try (IpamStore mem = new MemoryIpamStore()) {
                runAll(rows, "memory", mem, n);
            }
            try (IpamStore file = FileIpamStore.open(tmp.resolve("store"))) {
                System.err.println("file store in " + tmp.resolve("store"));
                runAll(rows, "file", file, slow);
            }
            etcd(rows, tmp, slow);
            cni(rows, tmp, slow);
        } finally {
            FileTrees.deleteTree(tmp);
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-30s %7s %-12s %6s %10s %10s", "store", "threads", "pool objects", "ops", "alloc/s", "release/s"));
        for (Row r : rows) {
            System.out.println(String.format(Locale.ROOT, "%-30s %7d %-12s %6d %10.0f %10.0f",
                    r.store(), r.threads(), r.objects(), r.ops(), r.allocPerSec(), r.releasePerSec()));
        }
    }

    private static void runAll(List<Row> rows, String name, IpamStore store, int ops) throws Exception {
        System.err.println("benchmarking " + name + " ...");
        rows.add(run(name, store, 1, false, ops));
        rows.add(run(name, store, 8, false, ops));
        rows.add(run(name, store, 8, true, ops));
    }

    private static int poolCounter;

    private static Row run(String name, IpamStore store, int threads, boolean objectPerThread, int ops) throws Exception {
        String poolName = "nlb-bench-" + (++poolCounter);
        IpPool shared = IpPool.builder(store, poolName).subnet("10.96.0.0/14").create();
        int per = ops / threads;
        List<IpPool> pools = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            pools.add(objectPerThread ? IpPool.open(store, poolName) : shared);
        }
        List<List<InetAddress>> got = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            got.add(new ArrayList<>());
        }
        double alloc = timed(threads, t -> {
            for (int i = 0; i < per; i++) {
                got.get(t).add(pools.get(t).allocate("c" + t + "-" + i));
            }
        });
        // Self-check, untimed: every allocation stored once, none handed out twice.
        java.util.Set<InetAddress> unique = new java.util.HashSet<>();
        got.forEach(unique::addAll);
        if (unique.size() != per * threads || shared.allocations().size() != per * threads) {
            throw new IllegalStateException(name + ": " + unique.size() + " distinct addresses returned and "
                    + shared.allocations().size() + " stored, expected " + per * threads);
        }
        double release = timed(threads, t -> {
            for (InetAddress a : got.get(t)) {
                pools.get(t).release(a);
            }
        });
        shared.delete();
        int total = per * threads;
        return new Row(name, threads, objectPerThread ? "1 per thread" : "1 shared", total, total / alloc, total / release);
    }

    private interface Work {
        void run(int thread) throws Exception;
    }

    /** Seconds for all threads to finish their work, started together. */
    private static double timed(int threads, Work work) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    work.run(thread);
                    return null;
                });
            }
            long t0 = System.nanoTime();
            for (Future<Void> f : ex.invokeAll(tasks)) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            ex.shutdownNow();
        }
    }

    // ---- etcd ----

    private static void etcd(List<Row> rows, Path tmp, int ops) throws Exception {
        String endpoint = System.getenv("NB_ETCD");
        ThrowawayEtcd etcd = null;
        if (endpoint == null) {
            if (ThrowawayEtcd.binary().isEmpty()) {
                System.err.println("etcd: skipped (no etcd binary; install etcd-server or set NB_ETCD=http://host:2379)");
                return;
            }
            etcd = ThrowawayEtcd.start("nlb-bench");
            endpoint = etcd.endpoint();
        }
        try (IpamStore store = EtcdIpamStore.builder().endpoints(endpoint).namespace("nlb-bench/").build()) {
            System.err.println("etcd at " + endpoint);
            runAll(rows, "etcd", store, ops);
        } finally {
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    // ---- CNI host-local ----

    private static void cni(List<Row> rows, Path tmp, int ops) throws Exception {
        Path plugin = Path.of(System.getenv().getOrDefault("NB_CNI_PLUGIN", "/usr/lib/cni/host-local"));
        if (!Files.isExecutable(plugin)) {
            System.err.println("CNI host-local: skipped (no " + plugin + "; install containernetworking-plugins)");
            return;
        }
        System.err.println("benchmarking CNI host-local ...");
        for (int threads : new int[] {1, 8}) {
            Path data = tmp.resolve("cni-" + threads);
            String conf = "{\"cniVersion\":\"0.4.0\",\"name\":\"nlb-bench\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\","
                    + "\"subnet\":\"10.96.0.0/14\",\"dataDir\":\"" + data + "\"}}";
            int per = ops / threads;
            double alloc = timed(threads, t -> {
                for (int i = 0; i < per; i++) {
                    runPlugin(plugin, "ADD", "nlb-" + t + "-" + i, conf);
                }
            });
            double release = timed(threads, t -> {
                for (int i = 0; i < per; i++) {
                    runPlugin(plugin, "DEL", "nlb-" + t + "-" + i, conf);
                }
            });
            int total = per * threads;
            rows.add(new Row("CNI host-local (process/call)", threads, "-", total, total / alloc, total / release));
        }
    }

    private static void runPlugin(Path plugin, String command, String containerId, String conf) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(plugin.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/var/run/netns/nlb-none"); // host-local never enters it
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", plugin.getParent().toString());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(conf.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("host-local " + command + " " + containerId + " failed: " + out);
        }
    }
}
