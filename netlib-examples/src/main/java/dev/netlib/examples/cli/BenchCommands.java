package dev.netlib.examples.cli;

import dev.netlib.examples.bench.EndpointBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The benchmark commands, with typed and checked arguments: a bad number is a usage error naming
 * the parameter, not a stack trace. They hand the checked values to the benchmarks' own entry
 * points, which scripts/bench.sh and the shared harness also call this way.
 */
final class BenchCommands {
    private BenchCommands() {}

    private static int atLeastOne(CommandSpec spec, String label, int value) {
        return atLeast(spec, label, 1, value);
    }

    private static int atLeast(CommandSpec spec, String label, int least, int value) {
        if (value < least) {
            throw new ParameterException(spec.commandLine(), label + " must be at least " + least + ", got " + value);
        }
        return value;
    }

    /** What {@code bench up|down N} does. */
    enum Direction { up, down }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "set up (up) or tear down (down) N benchmark endpoints, as the bench harness's "
                    + "method ext calls it (root); env NB_N NB_BR NB_GW NB_PLEN NB_NS NB_HV as the harness sets them")
    static final class Bench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "up|down", description = "up or down")
        Direction direction;

        @Parameters(index = "1", arity = "0..1", paramLabel = "N", description = "endpoints (default: env NB_N, else 100)")
        Integer n;

        @Override
        public Integer call() throws Exception {
            run(direction, n == null ? null : atLeast(spec, "N", least(direction), n));
            return 0;
        }

        /** The smallest N: {@code down 0} is the cold-start measurement (JVM start, init, one request: the group delete). */
        static int least(Direction direction) {
            return direction == Direction.up ? 1 : 0;
        }

        /** Runs it with checked values ({@code n} null: env NB_N, else 100). */
        static void run(Direction direction, Integer n) throws Exception {
            String count = n == null ? System.getenv().getOrDefault("NB_N", "100") : Integer.toString(n);
            String[] args = {direction.name(), count};
            // an anonymous class, not a lambda: this is the cold-start measurement's path
            Progress.during("bench " + direction + " " + count, new Progress.Work() {
                @Override
                public void run() throws Exception {
                    EndpointBench.main(args);
                }
            });
        }
    }

    @Command(name = "nft-bench", mixinStandardHelpOptions = true,
            description = "N DNAT port mappings in one nf_tables batch, and single add/remove latency (root)")
    static final class NftBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static final String DEFAULT_N = "100";
        static final String DEFAULT_REPS = "5";

        @Parameters(index = "0", arity = "0..1", paramLabel = "N", defaultValue = DEFAULT_N, description = "mappings (default 100)")
        int n;

        @Parameters(index = "1", arity = "0..1", paramLabel = "REPS", defaultValue = DEFAULT_REPS, description = "repetitions (default 5)")
        int reps;

        @Override
        public Integer call() throws Exception {
            run(atLeastOne(spec, "N", n), atLeastOne(spec, "REPS", reps));
            return 0;
        }

        /** Runs it with checked values. */
        static void run(int n, int reps) throws Exception {
            String[] args = {Integer.toString(n), Integer.toString(reps)};
            Progress.during("nft-bench " + n + " " + reps, () -> dev.netlib.examples.bench.NftBench.main(args));
        }
    }

    @Command(name = "ipam-bench", mixinStandardHelpOptions = true,
            description = "IP allocations/releases per second: memory, file and etcd stores, CNI host-local")
    static final class IpamBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static final String DEFAULT_N = "8000";

        @Parameters(index = "0", arity = "0..1", paramLabel = "N", defaultValue = DEFAULT_N, description = "allocations (default 8000)")
        int n;

        @Override
        public Integer call() throws Exception {
            run(atLeastOne(spec, "N", n));
            return 0;
        }

        /** Runs it with a checked value. */
        static void run(int n) throws Exception {
            String[] args = {Integer.toString(n)};
            Progress.during("ipam-bench " + n, () -> dev.netlib.examples.bench.IpamBench.main(args));
        }
    }
}
