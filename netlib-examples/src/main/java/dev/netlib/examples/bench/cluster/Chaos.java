package dev.netlib.examples.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chaos run, while {@link Prober} threads keep connecting between random containers: kill -9 of
 * one host's JVM (its endpoints must go from every peer within lease TTL + 1 s), etcd stopped and
 * started again, one host's underlay cut for 5 s (its switch port down), and etcd compacted to its
 * current revision. Prints the probes lost during each fault (those to or from the partitioned host
 * apart: they cannot get through), then checks every live kernel against the store.
 */
final class Chaos {
    private final ClusterBench b;

    Chaos(ClusterBench b) {
        this.b = b;
    }

    void run() throws Exception {
        List<Integer> live = b.liveHosts();
        int victim = live.get(live.size() - 1);
        int cut = live.get(1);
        if (!(b.host(victim) instanceof ChildHost)) {
            throw new IllegalStateException("chaos needs host " + victim + " in a JVM of its own");
        }
        List<String> lines = new ArrayList<>();
        try (Prober prober = new Prober(b.members(), 4, 1000)) {
            b.progress().phase("chaos: traffic warming up");
            ClusterBench.sleep(2000);
            long t0 = System.nanoTime();
            List<Prober.Failure> before = prober.failures(0, t0);

            b.progress().phase("chaos: kill -9 of host " + victim + "'s JVM, waiting for its lease to expire");
            long t = System.nanoTime();
            prober.exclude(m -> m.host() == victim);
            Map<Integer, Long> gone = b.crash(victim);
            long t1 = System.nanoTime();
            b.json().put("chaos_kill_withdrawn_ms", Converge.all(gone) < 0 ? -1 : ClusterBench.round(Converge.all(gone) / 1e6));
            lines.add(fault("kill", "kill -9 host " + victim, prober.failures(t, t1), -1) + String.format(Locale.ROOT,
                    "; its endpoints gone from every peer after %s ms", all(gone)));

            b.progress().phase("chaos: etcd restart");
            t = System.nanoTime();
            b.sim().etcd().stopProcess();
            b.sim().etcd().startProcess();
            ClusterBench.sleep(3000);
            t1 = System.nanoTime();
            lines.add(fault("etcd_restart", "etcd restart (stop, start, 3 s)", prober.failures(t, t1), -1));

            b.progress().phase("chaos: host " + cut + "'s underlay down for 5 s");
            t = System.nanoTime();
            b.sim().underlay(cut, false);
            ClusterBench.sleep(5000);
            b.sim().underlay(cut, true);
            ClusterBench.sleep(2000);
            t1 = System.nanoTime();
            lines.add(fault("partition", "host " + cut + " partitioned 5 s (+2 s)", prober.failures(t, t1), cut));

            b.progress().phase("chaos: etcd compaction");
            t = System.nanoTime();
            long rev = b.truth().range("netlib/v1/").revision();
            b.truth().compact(rev);
            ClusterBench.sleep(2000);
            t1 = System.nanoTime();
            lines.add(fault("compaction", "compaction at revision " + rev + " (+2 s)", prober.failures(t, t1), -1));
            b.say("chaos: %d probes in all; %d failed before the first fault%n", prober.sent(), before.size());
        }
        lines.forEach(l -> b.say("  %s%n", l));
        b.finalCheck("after chaos");
    }

    private String fault(String key, String what, List<Prober.Failure> failures, int cut) {
        long involving = cut < 0 ? 0 : failures.stream().filter(f -> f.from() == cut || f.to() == cut).count();
        long others = failures.size() - involving;
        b.json().put("chaos_lost_" + key, others);
        if (cut >= 0) {
            b.json().put("chaos_lost_" + key + "_cut_host", involving);
        }
        if (others > 0) {
            b.problems().add("chaos: " + others + " probes lost between unaffected hosts during " + what);
        }
        return String.format(Locale.ROOT, "%-40s lost probes: %d%s", what, others,
                cut < 0 ? "" : " between other hosts, " + involving + " to/from the cut host (expected)");
    }

    private static String all(Map<Integer, Long> perHost) {
        long v = Converge.all(perHost);
        return v < 0 ? "NEVER" : ClusterBench.ms(v);
    }
}
