package dev.netlib.examples.bench;

import dev.netlib.Netlib;
import dev.netlib.examples.scenarios.Sandbox;
import dev.netlib.value.IpPrefix;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of {@code bench up N} is the JVM warming up: the benchmark endpoints of
 * {@link EndpointBench} built and torn down R times in one JVM, each round timed in-process with
 * the JIT compilers' time spent during it ({@link CompilationMXBean}, summed over the compiler
 * threads) and the calling thread's CPU time. The first round is what {@code bench up N} measures
 * in a fresh JVM; later rounds run compiled code. On 2 vCPUs the compiler threads take a CPU from
 * the namespace worker and the kernel's own work for as long as they run (issue 13).
 *
 * <p>Runs in throwaway namespaces (a private host namespace with the bridge, the endpoints' named
 * namespaces under a unique prefix), all removed at the end; needs root. Between rounds it waits
 * {@code PAUSE} ms, as the harness does between runs, so the kernel's deferred namespace cleanup
 * (cleanup_net, a workqueue) does not run into the next round.
 *
 * <p>Usage: {@code java -cp netlib-examples.jar dev.netlib.examples.bench.WarmupBench [N] [ROUNDS] [PAUSE]}
 * (default 500 3 3000).
 */
public final class WarmupBench {
    private WarmupBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long pauseMs = args.length > 2 ? Long.parseLong(args[2]) : 3000;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path etc = Files.createTempDirectory("nl-warmup-bench-");
        String prefix = "nlwb" + ProcessHandle.current().pid() + "-";
        try (Netlib root = Netlib.open(); Sandbox sandbox = new Sandbox(root, "wb", etc)) {
            Netlib host = root.in(sandbox.namespace("host"));
            host.bridge("nbbr0").up().create().addAddress("10.77.0.1/16");
            IpPrefix subnet = IpPrefix.parse("10.77.0.1/16").network();
            for (int r = 1; r <= rounds; r++) {
                long[] perEndpoint = new long[n];
                long jit0 = jit.getTotalCompilationTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                try {
                    EndpointBench.up(host, n, "nbbr0", "10.77.0.1", subnet, prefix, "nbh", perEndpoint);
                } finally {
                    long wall = System.nanoTime() - t0;
                    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                    long compiling = jit.getTotalCompilationTime() - jit0;
                    EndpointBench.down(host, n, prefix);
                    System.out.println("{\"round\": " + r + ", \"n\": " + n + ", \"ms_per_ep\": " + Fixed.of(wall / 1e6 / n, 3)
                            + EndpointBench.firstAndLast(perEndpoint) + ", \"caller_cpu_ms_per_ep\": " + Fixed.of(cpu / 1e6 / n, 3)
                            + ", \"jit_compile_ms\": " + compiling + "}");
                }
                if (r < rounds) {
                    Thread.sleep(pauseMs);
                }
            }
        } finally {
            FileTrees.deleteTree(etc);
        }
    }
}
