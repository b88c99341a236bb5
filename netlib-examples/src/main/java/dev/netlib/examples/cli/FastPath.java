package dev.netlib.examples.cli;

import java.io.PrintWriter;

/**
 * The benchmark commands in their plain form, run without building picocli's model of the command
 * line: {@code bench up|down [N]}, {@code nft-bench [N [REPS]]} and {@code ipam-bench [N]} where
 * every value is a decimal number in range. Building that model (annotation reflection over every
 * command, picocli's type converters, help sections) cost ~0.35 s of CPU in a fresh JVM, more than
 * the JVM's own start, and the cold start of {@code bench down 0} and the first nf_tables call of
 * {@code nft-bench} are benchmark figures (issues 12 and 13).
 *
 * <p>Only argument lists picocli would accept, with the same values, are taken here (FastPathTest
 * parses each through picocli and compares); anything else (an option, {@code --help}, a sign, a
 * value out of range, another command) returns null and goes through picocli, so what a user sees is
 * unchanged. The commands run through the same methods their picocli classes call, and a failure is
 * reported as {@link Main} reports one.
 */
final class FastPath {
    private FastPath() {}

    /** A plain invocation: the command and its values ({@code n} null: {@code bench}'s default, env NB_N). */
    static final class Plain {
        final String command;
        final BenchCommands.Direction direction;
        final Integer n;
        final int reps;

        Plain(String command, BenchCommands.Direction direction, Integer n, int reps) {
            this.command = command;
            this.direction = direction;
            this.n = n;
            this.reps = reps;
        }

        /** Runs it through the method the command's picocli class calls. */
        void run() throws Exception {
            switch (command) {
                case "bench" -> BenchCommands.Bench.run(direction, n);
                case "nft-bench" -> BenchCommands.NftBench.run(n, reps);
                default -> BenchCommands.IpamBench.run(n);
            }
        }
    }

    /** Runs {@code args} if it is one of the plain forms and returns the exit status; null if it is not. */
    static Integer execute(String[] args, PrintWriter err) {
        Plain plain = parse(args);
        if (plain == null) {
            return null;
        }
        try {
            plain.run();
            return 0;
        } catch (Exception e) {
            return Main.failed(plain.command, e, false, err);
        }
    }

    /** The plain invocation {@code args} is, or null. */
    static Plain parse(String[] args) {
        if (args.length == 0) {
            return null;
        }
        switch (args[0]) {
            case "bench": {
                BenchCommands.Direction d = args.length < 2 ? null : args[1].equals("up") ? BenchCommands.Direction.up
                        : args[1].equals("down") ? BenchCommands.Direction.down : null;
                if (d == null || args.length > 3) {
                    return null;
                }
                Integer n = args.length == 3 ? decimal(args[2], BenchCommands.Bench.least(d)) : null;
                return args.length == 3 && n == null ? null : new Plain("bench", d, n, 0);
            }
            case "nft-bench": {
                Integer n = decimal(args.length > 1 ? args[1] : BenchCommands.NftBench.DEFAULT_N, 1);
                Integer reps = decimal(args.length > 2 ? args[2] : BenchCommands.NftBench.DEFAULT_REPS, 1);
                return args.length > 3 || n == null || reps == null ? null : new Plain("nft-bench", null, n, reps);
            }
            case "ipam-bench": {
                Integer n = decimal(args.length > 1 ? args[1] : BenchCommands.IpamBench.DEFAULT_N, 1);
                return args.length > 2 || n == null ? null : new Plain("ipam-bench", null, n, 0);
            }
            default:
                return null;
        }
    }

    /**
     * The value of {@code s} if it is 1 to 9 ASCII digits and at least {@code least} (picocli's
     * {@code Integer.valueOf} reads such a string the same way); null otherwise.
     */
    static Integer decimal(String s, int least) {
        if (s.isEmpty() || s.length() > 9) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        int v = Integer.parseInt(s);
        return v >= least ? v : null;
    }
}
