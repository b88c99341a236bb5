package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.testjvm.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One voice, checked by bash: the DEBUG log of scenarios S3 and S4 (logger {@code
 * dev.netlib.changes}, recorded by a child JVM up to the point the scenario is built) is replayed
 * line by line with {@code bash -c} in fresh throwaway namespaces standing in for the ones the
 * log names; every line must succeed and every namespace must end with the links, addresses and
 * routes netlib built.
 *
 * <p>nft lines (S4's NAT rules) are rendered by the nf_tables layer as quoted {@code nft} commands
 * and replayed like the others; netlib's rules read back from the replayed kernel are compared too.
 */
class LogReplayKernelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"S3", "S4"})
    void theDebugLogReplayedByBashBuildsTheSameState(String scenario) throws Exception {
        KernelAccess.openOrSkip("log replay of " + scenario).close();
        Path log = dir.resolve("changes.log");
        Path state = dir.resolve("state.txt");
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Process child = ChildJvm.builder(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.dev.netlib.changes=debug", "-Dorg.slf4j.simpleLogger.logFile=" + log),
                LogReplayChild.class, scenario, etc.toString(), log.toString(), state.toString()).inheritIO().start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError(scenario + " child did not finish in 120 s");
        }
        assertThat(child.exitValue()).as(scenario + " child exit status").isZero();

        List<String> stateLines = Files.readAllLines(state);
        int count = Integer.parseInt(stateLines.get(0));
        Map<String, List<String>> expected = sections(stateLines.subList(1, stateLines.size()));
        List<String> commands = LoggedCommands.read(log).subList(0, count);
        assertThat(commands).as("logged commands").isNotEmpty();
        assertThat(expected).as("namespaces with state").isNotEmpty();

        Map<String, String> names = new LinkedHashMap<>();
        String prefix = "nlr-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2)) + "-";
        for (String label : LoggedCommands.labels(commands)) {
            assertThat(label).as("a replayed line may not name the machine's own namespace").isNotEqualTo("1");
            names.put(label, prefix + names.size());
        }
        List<String> created = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int nftLines = 0;
        try {
            for (Map.Entry<String, String> e : names.entrySet()) {
                if (!commands.contains("ip netns add " + e.getKey())) {
                    run("ip netns add " + e.getValue(), failures); // named only by path: stand-in made up front
                    created.add(e.getValue());
                }
            }
            for (String command : commands) {
                assertThat(command).as("every line names its namespace; none may run in the machine's own")
                        .matches("(ip -n |bridge -n |ip netns (add|exec|del) |nsenter --net=).*");
                String line = rewrite(command, names);
                if (line.matches("ip netns exec \\S+ nft .*")) {
                    nftLines++;
                }
                if (line.startsWith("ip netns add ")) {
                    created.add(line.substring("ip netns add ".length()));
                }
                run(line, failures);
            }
            assertThat(failures).as("replayed lines that failed in bash").isEmpty();
            try (Netlib root = Netlib.open()) {
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    try (Namespace ns = root.namespaces().open(names.get(e.getKey()))) {
                        assertThat(ReplayState.of(root.in(ns))).as("state of %s replayed", e.getKey())
                                .containsExactlyElementsOf(e.getValue());
                    }
                }
            }
            System.out.println(scenario + ": " + commands.size() + " logged commands replayed, " + nftLines + " of them nft");
        } finally {
            for (String n : created) {
                new ProcessBuilder("ip", "netns", "del", n).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Puts the stand-in names in place of the logged ones; a path namespace is entered by its stand-in's name. */
    private static String rewrite(String command, Map<String, String> names) {
        String c = command;
        for (Map.Entry<String, String> e : names.entrySet()) {
            c = c.replace("nsenter --net=" + e.getKey() + " ", "ip netns exec " + e.getKey() + " ");
        }
        Matcher m = LoggedCommands.LABEL.matcher(c);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String whole = m.group();
            String replaced = whole.substring(0, whole.length() - m.group(1).length()) + names.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(replaced));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static void run(String line, List<String> failures) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            failures.add(line + " -> " + output.strip());
        }
    }

    private static Map<String, List<String>> sections(List<String> lines) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String l : lines) {
            if (l.startsWith("== ")) {
                current = new ArrayList<>();
                out.put(l.substring(3), current);
            } else {
                current.add(l);
            }
        }
        return out;
    }
}
