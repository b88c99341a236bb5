package dev.netlib.examples.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster-bench} at its smallest (3 hosts x 3 containers, lease TTL 2 s, a 5 s churn and the
 * chaos faults, one host in a child JVM), so the bench cannot rot: every check passes (full mesh,
 * convergence of every sampled join and leave, crash withdrawal, kernel equals store after churn and
 * chaos, no duplicate address, expected kernel entry counts), and nothing is left behind. Times are
 * printed, not asserted.
 */
class ClusterBenchKernelTest {

    @Test
    void threeHostsOfThreeContainersPassEveryCheckAndLeaveNothingBehind() throws Exception {
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        assumeTrue(root, "cluster-bench test needs root (namespaces, links): skipped");
        assumeTrue(ThrowawayEtcd.binary().isPresent(), "cluster-bench test needs etcd (Debian's etcd-server): skipped");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        BenchOptions o = BenchOptions.parse("--hosts", "3", "--containers", "3", "--ttl", "2", "--samples", "3", "--churn", "5", "--chaos");

        ClusterBench.Result r = ClusterBench.run(o, out);

        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(r.problems()).as(report).isEmpty();
        assertThat(report).contains("all checks passed");
        var f = r.figures();
        assertThat(f.get("mesh_probes")).isEqualTo(9L * 8);
        assertThat(f.get("mesh_failed")).isEqualTo(0);
        assertThat(((Stats) f.get("join")).count()).as("every sampled join converged").isEqualTo(3);
        assertThat(((Stats) f.get("leave")).count()).as("every sampled leave converged").isEqualTo(3);
        assertThat(((Stats) f.get("crash")).count()).as("the killed host withdrawn from both peers").isEqualTo(2);
        assertThat(((Number) f.get("join_requests")).doubleValue()).as("a join costs store requests").isPositive();
        assertThat(f.get("kernel_entries_max")).isEqualTo(f.get("kernel_entries_expected"));
        assertThat(f).containsEntry("stale_after_churn", 0).containsEntry("stale_after_chaos", 0).containsEntry("duplicates_after_chaos", 0)
                .containsEntry("chaos_lost_etcd_restart", 0L).containsEntry("chaos_lost_compaction", 0L);
        assertThat(((Number) f.get("churn_joins")).intValue()).as("churn happened").isPositive();

        String tag = (String) f.get("tag");
        try (Stream<Path> netns = Files.list(Path.of("/var/run/netns"))) {
            assertThat(netns.map(p -> p.getFileName().toString())).as("namespaces left").noneMatch(n -> n.startsWith(tag));
        }
        if (Files.isDirectory(SimCluster.ETC_NETNS)) {
            try (Stream<Path> etc = Files.list(SimCluster.ETC_NETNS)) {
                assertThat(etc.map(p -> p.getFileName().toString())).as("hosts files left").noneMatch(n -> n.startsWith(tag));
            }
        }
        assertThat(Path.of((String) f.get("etcd_data_dir"))).as("etcd data left").doesNotExist();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("child processes left (etcd, host JVMs)").isEmpty();
    }
}
