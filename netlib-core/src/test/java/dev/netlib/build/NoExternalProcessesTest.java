package dev.netlib.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * netlib speaks netlink and setns itself: no main code of any library module may start a process
 * (ProcessBuilder, Runtime.exec). Tests may run ip/nft/bridge for cross-checks, and so may the
 * benchmark programs of netlib-examples ({@link #PEER_BENCHMARKS}), whose job is to time the peers
 * (the CNI plugins, a real etcd) beside netlib, and the throwaway etcd kit ({@link #ETCD_KIT}), whose
 * one job is to start etcd for tests and demos.
 */
class NoExternalProcessesTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\bProcessBuilder\\b|\\bgetRuntime\\s*\\(\\s*\\)\\s*\\.\\s*exec\\s*\\(|\\bjava\\.lang\\.Runtime\\b|\\bRuntime\\s*::\\s*exec\\b");
    private static final String PEER_BENCHMARKS = "netlib-examples/src/main/java/dev/netlib/examples/bench/";
    /** Scenario S5 starts the real etcd it needs as its cluster store, and resolves names through ip netns exec. */
    private static final String S5_PROCESSES = "netlib-examples/src/main/java/dev/netlib/examples/scenarios/S5Processes.java";
    /** netlib-testing-etcd: a module of test support (not the library), that starts etcd and signals it with kill. */
    private static final String ETCD_KIT = "netlib-testing-etcd/src/main/java/";
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** The project root: the parent of this module's directory (surefire runs in the module). */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("netlib-core")) ? dir : dir.getParent();
    }

    static List<String> offences(String source) {
        String code = COMMENTS.matcher(source).replaceAll(" ");
        List<String> found = new ArrayList<>();
        var m = FORBIDDEN.matcher(code);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void noMainCodeStartsAProcess() throws IOException {
        Path root = projectRoot();
        List<Path> mainTrees;
        try (Stream<Path> modules = Files.list(root)) {
            mainTrees = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        assertThat(mainTrees).as("main source trees under " + root)
                .anyMatch(p -> p.toString().contains("netlib-core"))
                .anyMatch(p -> p.toString().contains("netlib-native"));
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (Path tree : mainTrees) {
            try (Stream<Path> sources = Files.walk(tree)) {
                for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String relative = root.relativize(f).toString();
                    if (relative.startsWith(PEER_BENCHMARKS) || relative.equals(S5_PROCESSES) || relative.startsWith(ETCD_KIT)) {
                        continue;
                    }
                    files++;
                    List<String> bad = offences(read(f));
                    if (!bad.isEmpty()) {
                        problems.add(root.relativize(f) + ": " + bad);
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(50);
        assertThat(problems).as("main code that starts processes").isEmpty();
    }

    @Test
    void theScanFindsWhatItLooksFor() {
        assertThat(offences("var p = new ProcessBuilder(\"ip\", \"link\").start();")).hasSize(1);
        assertThat(offences("Runtime.getRuntime().exec(\"ip link\");")).hasSize(1);
        assertThat(offences("Runtime.getRuntime() . exec (cmd);")).hasSize(1);
        assertThat(offences("// we never use ProcessBuilder\n/* nor Runtime.getRuntime().exec() */ int x;")).isEmpty();
        assertThat(offences("jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(lib);")).isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
