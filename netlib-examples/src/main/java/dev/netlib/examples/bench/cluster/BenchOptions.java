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
 */
record BenchOptions(int hosts, int containers, int samples, int meshSample, int leaseTtlSeconds, boolean jvmPerHost, int churnSeconds,
        double churnRate, boolean chaos, Path json) {

    static final String USAGE = """
            usage: cluster-bench [--hosts H] [--containers C] [--samples S] [--mesh-sample K] [--ttl SECONDS]
                                 [--jvm-per-host] [--churn SECONDS] [--churn-rate PER_SECOND] [--chaos] [--json FILE]
              H hosts (default 20) x C containers (default 20) on one overlay network, one etcd; prints build time,
              join / leave / crash convergence read back from the kernels, a TCP full-mesh check, store cost,
              memory, threads and kernel entries per host. As root; leaves nothing behind.""";

    /** The defaults: 20 x 20, 60 samples, 200 probes per container, TTL 10 s, one JVM, no churn, no chaos. */
    static BenchOptions defaults() {
        return new BenchOptions(20, 20, 60, 200, 10, false, 0, 4, false, null);
    }

    /** Parses the command line over the defaults. */
    static BenchOptions parse(String... args) {
        BenchOptions o = defaults();
        int samples = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--hosts" -> o = o.with(Integer.parseInt(args[++i]), o.containers);
                case "--containers" -> o = o.with(o.hosts, Integer.parseInt(args[++i]));
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--mesh-sample" -> o = new BenchOptions(o.hosts, o.containers, o.samples, Integer.parseInt(args[++i]), o.leaseTtlSeconds,
                        o.jvmPerHost, o.churnSeconds, o.churnRate, o.chaos, o.json);
                case "--ttl" -> o = new BenchOptions(o.hosts, o.containers, o.samples, o.meshSample, Integer.parseInt(args[++i]), o.jvmPerHost,
                        o.churnSeconds, o.churnRate, o.chaos, o.json);
                case "--jvm-per-host" -> o = new BenchOptions(o.hosts, o.containers, o.samples, o.meshSample, o.leaseTtlSeconds, true,
                        o.churnSeconds, o.churnRate, o.chaos, o.json);
                case "--churn" -> o = new BenchOptions(o.hosts, o.containers, o.samples, o.meshSample, o.leaseTtlSeconds, o.jvmPerHost,
                        Integer.parseInt(args[++i]), o.churnRate, o.chaos, o.json);
                case "--churn-rate" -> o = new BenchOptions(o.hosts, o.containers, o.samples, o.meshSample, o.leaseTtlSeconds, o.jvmPerHost,
                        o.churnSeconds, Double.parseDouble(args[++i]), o.chaos, o.json);
                case "--chaos" -> o = new BenchOptions(o.hosts, o.containers, o.samples, o.meshSample, o.leaseTtlSeconds, o.jvmPerHost,
                        o.churnSeconds, o.churnRate, true, o.json);
                case "--json" -> o = new BenchOptions(o.hosts, o.containers, o.samples, o.meshSample, o.leaseTtlSeconds, o.jvmPerHost,
                        o.churnSeconds, o.churnRate, o.chaos, Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (o.hosts < 3 || o.containers < 1) {
            throw new IllegalArgumentException("need at least 3 hosts and 1 container per host\n" + USAGE);
        }
        return new BenchOptions(o.hosts, o.containers, samples >= 0 ? samples : 3 * o.hosts, o.meshSample, o.leaseTtlSeconds, o.jvmPerHost,
                o.churnSeconds, o.churnRate, o.chaos, o.json);
    }

    private BenchOptions with(int h, int c) {
        return new BenchOptions(h, c, samples, meshSample, leaseTtlSeconds, jvmPerHost, churnSeconds, churnRate, chaos, json);
    }
}
