package dev.netlib.examples;

import dev.netlib.examples.cli.Main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.examples.cli.Command;
import dev.netlib.examples.cli.Commands;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The examples jar's command line, run in-process: what is printed where, and the exit status. */
class MainCliTest {
    private record Outcome(int status, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }

    @Test
    void helpGoesToStandardOutputAndExitsZero() {
        Outcome o = run("--help");
        assertThat(o.status()).isZero();
        assertThat(o.err()).isEmpty();
        for (Command c : Commands.ALL) {
            assertThat(o.out()).contains("  " + c.name() + " ");
        }
        assertThat(o.out()).contains("bench").contains("nft-bench").contains("ipam-bench").contains("Start with: java -jar netlib-examples.jar demo");
        assertThat(run("bench", "--help").out()).contains("Usage: netlib-examples bench").contains("up|down [N]");
    }

    @Test
    void noArgumentsPrintsTheUsageInsteadOfRunningTheDemo() {
        Outcome o = run();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("no command given").contains("demo").contains("Usage: netlib-examples");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void anUnknownCommandIsNamed() {
        Outcome o = run("demoo");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).startsWith("unknown command 'demoo'").contains("Did you mean").contains("demo");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheParameter() {
        assertThat(run("bench", "up", "abc")).satisfies(o -> {
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err()).contains("(N): 'abc' is not an int").doesNotContain("Exception");
        });
        assertThat(run("bench", "sideways")).satisfies(o -> {
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err()).contains("expected one of [up, down]");
        });
        assertThat(run("nft-bench", "0")).satisfies(o -> {
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err()).contains("N must be at least 1, got 0");
        });
        assertThat(run("ipam-bench", "-5").err()).contains("N must be at least 1, got -5");
        assertThat(run("s3", "extra")).satisfies(o -> {
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err()).contains("Unmatched argument at index 1: 'extra'");
        });
    }

    @Test
    void everyCommandTheScriptsCallIsRegistered() {
        assertThat(Commands.ALL).extracting(Command::name).contains("demo", "s1", "s2", "s3", "s4", "s6", "s7", "s7-macvlan",
                "quickstart", "bench", "nft-bench", "ipam-bench").doesNotHaveDuplicates();
    }

    @Test
    void aPassThroughCommandGetsItsArgumentsAsGiven() {
        String[][] seen = new String[1][];
        Command c = Command.passThrough("echo", "test", args -> seen[0] = args);
        assertThat(c.commandLine().execute("a", "--b", "3")).isZero();
        assertThat(seen[0]).containsExactly("a", "--b", "3");
    }
}
