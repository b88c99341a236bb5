package dev.netlib.examples.bench.cluster;

import java.nio.file.Path;

/**
 * What {@code cluster-bench} runs.
 *
 * @param hosts simulated hosts (H)
 * @param containers containers per host (C)
 * @param samples joins (each then left) measured one at a time for convergence and store cost
 * @param meshSample how many random others each container reaches over TCP (all when fewer)
 * @param leaseTtlSeconds the hosts' lease TTL
 * @param jvmPerHost one JVM per host instead of all hosts in the bench's JVM
 * @param churnSeconds length of the churn run (0: none)
 * @param churnRate joins per second during churn (each leaves again 2 s later)
 * @param chaos whether to run the chaos faults
 * @param json file to append one JSON line of results to, or null
 * @param names whether hosts keep containers' hosts files (names across hosts) up to date
 */
record BenchOptions(int hosts, int containers, int samples, int meshSample, int leaseTtlSeconds, boolean jvmPerHost, int churnSeconds,
        double churnRate, boolean chaos, Path json, boolean names) {

    static final String USAGE = """
            usage: cluster-bench [--hosts H] [--containers C] [--samples S] [--mesh-sample K] [--ttl SECONDS]
                                 [--jvm-per-host] [--churn SECONDS] [--churn-rate PER_SECOND] [--chaos] [--names] [--json FILE]
              H hosts (default 20) x C containers (default 20) on one overlay network, one etcd; prints build time,
              join / leave / crash convergence read back from the kernels, a TCP full-mesh check, store cost,
              memory, threads and kernel entries per host. --names also keeps every container's
              hosts file up to date (names across hosts). As root; leaves nothing behind.""";

    /** The defaults: 20 x 20, 60 samples, 200 probes per container, TTL 10 s, one JVM, no churn, no chaos. */
    static BenchOptions defaults() {
        return new BenchOptions(20, 20, 60, 200, 10, false, 0, 4, false, null, false);
    }

    /** Parses the command line over the defaults. */
    static BenchOptions parse(String... args) {
        BenchOptions d = defaults();
        int hosts = d.hosts;
        int containers = d.containers;
        int samples = -1;
        int meshSample = d.meshSample;
        int ttl = d.leaseTtlSeconds;
        boolean jvmPerHost = false;
        int churn = 0;
        double churnRate = d.churnRate;
        boolean chaos = false;
        Path json = null;
        boolean names = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--hosts" -> hosts = Integer.parseInt(args[++i]);
                    case "--containers" -> containers = Integer.parseInt(args[++i]);
                    case "--samples" -> samples = Integer.parseInt(args[++i]);
                    case "--mesh-sample" -> meshSample = Integer.parseInt(args[++i]);
                    case "--ttl" -> ttl = Integer.parseInt(args[++i]);
                    case "--jvm-per-host" -> jvmPerHost = true;
                    case "--churn" -> churn = Integer.parseInt(args[++i]);
                    case "--churn-rate" -> churnRate = Double.parseDouble(args[++i]);
                    case "--chaos" -> chaos = true;
                    case "--json" -> json = Path.of(args[++i]);
                    case "--names" -> names = true;
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalArgumentException("option " + a + " needs a number\n" + USAGE);
            }
        }
        if (hosts < 3 || containers < 1 || ttl < 1 || churnRate <= 0) {
            throw new IllegalArgumentException("need at least 3 hosts, 1 container per host, a TTL of 1 s and a positive churn rate\n" + USAGE);
        }
        return new BenchOptions(hosts, containers, samples >= 0 ? samples : 3 * hosts, meshSample, ttl, jvmPerHost, churn, churnRate, chaos, json,
                names);
    }
}
