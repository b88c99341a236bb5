package dev.netlib.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark commands' plain forms bypass picocli (FastPath): every argument list taken there
 * must be one picocli accepts with the same values, so the command line stays the same for users.
 */
class FastPathTest {
    private static final String[] WORDS = {"up", "down", "0", "1", "2", "007", "123456789", "1234567890", "99999999999",
        "-1", "+5", "1e3", " 1", "\u0663", "", "abc", "UP", "--help", "-h", "-V", "--", "@args", "--stacktrace"};

    /** Every list of a command and up to three words: where FastPath takes one, picocli parses the same values. */
    @Test
    void everyArgumentListTakenIsOnePicocliAcceptsWithTheSameValues() {
        int taken = 0;
        for (String command : new String[] {"bench", "nft-bench", "ipam-bench", "demo", "--help", "s3"}) {
            for (List<String> words : wordLists(3)) {
                List<String> argv = new ArrayList<>();
                argv.add(command);
                argv.addAll(words);
                FastPath.Plain p = FastPath.parse(argv.toArray(new String[0]));
                if (p != null) {
                    taken++;
                    assertSameAsPicocli(argv, p);
                }
            }
        }
        // bench up|down with no N, 5 values each (down also 0); nft-bench and ipam-bench with defaults or values
        assertThat(taken).isGreaterThan(20);
    }

    @Test
    void optionsHelpAndBadValuesGoToPicocli() {
        for (String[] argv : new String[][] {{"bench", "up", "0"}, {"bench", "up", "-1"}, {"bench", "sideways"}, {"bench"},
            {"bench", "--help"}, {"bench", "up", "1", "2"}, {"--stacktrace", "bench", "up", "1"}, {"nft-bench", "0"},
            {"nft-bench", "1", "-h"}, {"ipam-bench", "99999999999"}, {"demo"}, {}}) {
            assertThat(FastPath.parse(argv)).as(String.join(" ", argv)).isNull();
        }
        assertThat(FastPath.parse(new String[] {"bench", "down", "0"})).satisfies(p -> {
            assertThat(p.direction).isEqualTo(BenchCommands.Direction.down);
            assertThat(p.n).isZero();
        });
    }

    @Test
    void aFailureIsReportedAsPicocliReportsOne() {
        StringWriter err = new StringWriter();
        int status = Main.failed("bench", new IllegalStateException("outer", new IllegalArgumentException("inner")), false,
                new PrintWriter(err, true));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(String.format("bench: outer%n  caused by: inner%n"
                + "(run with --stacktrace before the command for the details)%n"));
    }

    private static void assertSameAsPicocli(List<String> argv, FastPath.Plain p) {
        String[] rest = argv.subList(1, argv.size()).toArray(new String[0]);
        String what = String.join(" ", argv);
        switch (argv.get(0)) {
            case "bench" -> {
                BenchCommands.Bench b = new BenchCommands.Bench();
                new CommandLine(b).parseArgs(rest);
                assertThat(p.direction).as(what).isEqualTo(b.direction);
                assertThat(p.n).as(what).isEqualTo(b.n);
                assertThat(b.n == null || b.n >= BenchCommands.Bench.least(b.direction)).as(what).isTrue();
            }
            case "nft-bench" -> {
                BenchCommands.NftBench b = new BenchCommands.NftBench();
                new CommandLine(b).parseArgs(rest);
                assertThat(p.n).as(what).isEqualTo(b.n);
                assertThat(p.reps).as(what).isEqualTo(b.reps);
                assertThat(b.n >= 1 && b.reps >= 1).as(what).isTrue();
            }
            case "ipam-bench" -> {
                BenchCommands.IpamBench b = new BenchCommands.IpamBench();
                new CommandLine(b).parseArgs(rest);
                assertThat(p.n).as(what).isEqualTo(b.n);
                assertThat(b.n >= 1).as(what).isTrue();
            }
            default -> throw new AssertionError("FastPath took " + what);
        }
    }

    private static List<List<String>> wordLists(int max) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        List<List<String>> last = List.of(List.of());
        for (int k = 1; k <= max; k++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> l : last) {
                for (String w : WORDS) {
                    List<String> m = new ArrayList<>(l);
                    m.add(w);
                    next.add(m);
                }
            }
            out.addAll(next);
            last = next;
        }
        return out;
    }
}
