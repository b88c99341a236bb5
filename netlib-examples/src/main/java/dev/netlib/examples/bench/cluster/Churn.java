package dev.netlib.examples.bench.cluster;

import dev.netlib.Namespace;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The churn run: containers join at a fixed rate (round robin over the live hosts) and leave again
 * two seconds later, for a fixed time, while {@link Prober} threads keep connecting between the
 * containers that stay. Counts the probes that failed, then checks every kernel against the store:
 * no entry of a container that left may stay behind.
 */
final class Churn {
    private static final long LIFETIME_NANOS = 2_000_000_000L;

    private record Visitor(int host, Namespace ns, long leaveAt) {}

    private final ClusterBench b;

    Churn(ClusterBench b) {
        this.b = b;
    }

    void run() {
        BenchOptions o = b.options();
        b.progress().phase("churn: " + o.churnRate() + " joins/s (each leaves 2 s later) for " + o.churnSeconds() + " s while the mesh is probed");
        Deque<Visitor> inside = new ArrayDeque<>();
        long interval = (long) (1e9 / o.churnRate());
        int joins = 0;
        int leaves = 0;
        int errors = 0;
        try (Prober prober = new Prober(b.members(), 4, 1000)) {
            long start = System.nanoTime();
            long end = start + o.churnSeconds() * 1_000_000_000L;
            long nextJoin = start;
            int n = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextJoin) {
                    List<Integer> live = b.liveHosts();
                    int h = live.get(n % live.size());
                    Namespace ns = b.sim().container("k" + n);
                    n++;
                    try {
                        b.host(h).connect(ClusterBench.NETWORK, ns.name().orElseThrow());
                        joins++;
                        inside.add(new Visitor(h, ns, System.nanoTime() + LIFETIME_NANOS));
                    } catch (RuntimeException e) {
                        errors++;
                        b.sim().removeContainer(ns);
                    }
                    nextJoin += interval;
                }
                while (!inside.isEmpty() && inside.peek().leaveAt() <= System.nanoTime()) {
                    leaves += leave(inside.poll()) ? 1 : 0;
                }
                b.progress().tick((System.nanoTime() - start) / 1_000_000_000L, o.churnSeconds());
                ClusterBench.sleep(5);
            }
            while (!inside.isEmpty()) {
                leaves += leave(inside.poll()) ? 1 : 0;
            }
            long sent = prober.sent();
            int failed = prober.failures().size();
            b.say("churn (%d s): %d joins and %d leaves (%d failed operations); %d probes between the staying containers, %d failed%n",
                    o.churnSeconds(), joins, leaves, errors, sent, failed);
            b.json().put("churn_joins", joins);
            b.json().put("churn_leaves", leaves);
            b.json().put("churn_probes", sent);
            b.json().put("churn_failed_probes", failed);
            if (failed > 0 || errors > 0) {
                b.problems().add("churn: " + failed + " failed probes, " + errors + " failed operations");
            }
        }
        b.finalCheck("after churn");
    }

    private boolean leave(Visitor v) {
        try {
            b.host(v.host()).disconnect(ClusterBench.NETWORK, v.ns().name().orElseThrow());
            return true;
        } catch (RuntimeException e) {
            b.problems().add("churn: disconnect on host " + v.host() + " failed: " + e.getMessage());
            return false;
        } finally {
            b.sim().removeContainer(v.ns());
        }
    }
}
