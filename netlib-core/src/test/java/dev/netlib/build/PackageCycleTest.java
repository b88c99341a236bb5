package dev.netlib.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycle in any module's main code: a package that depends on another (by an import
 * or a qualified name outside comments) must not be reached back from it. There are none; the
 * last ones were broken by moving {@code NetnsRef} to {@code dev.netlib.model} (model no longer
 * reaches the SPI), by {@code Nat} taking a {@code dev.netlib.spi.NamespaceAccess} (which
 * {@code Netlib} implements) instead of a {@code Netlib}, and by the nf_tables constants moving to
 * the leaf package {@code dev.netlib.linux.internal.nft.uapi} (the expressions no longer reach the
 * rule code). A new cycle fails the build: break it instead.
 */
class PackageCycleTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.netlib(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noModuleHasANewPackageCycle() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> cycles = new ArrayList<>();
        int modules = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path module : dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).sorted().toList()) {
                modules++;
                for (Set<String> scc : cycles(dependencies(module.resolve("src/main/java")))) {
                    cycles.add(String.join(",", scc));
                }
            }
        }
        assertThat(modules).as("modules found under " + root).isGreaterThanOrEqualTo(2);
        assertThat(cycles).as("package cycles (break them: a package must not be reached back from one it uses)").isEmpty();
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertThat(cycles(g)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
    }

    /** Package to the dev.netlib packages it uses, from the sources under {@code src}. */
    static Map<String, Set<String>> dependencies(Path src) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = read(f);
                Matcher pm = PACKAGE.matcher(text);
                if (!pm.find()) {
                    continue;
                }
                String pkg = pm.group(1);
                Set<String> uses = out.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher im = IMPORT.matcher(text);
                while (im.find()) {
                    uses.add(packageOf(im.group(1)));
                }
                Matcher qm = QUALIFIED.matcher(COMMENTS.matcher(text).replaceAll(""));
                while (qm.find()) {
                    uses.add(qm.group(1));
                }
                uses.removeIf(u -> !u.startsWith("dev.netlib") || u.equals(pkg));
            }
        }
        return out;
    }

    /** The package of an imported name: the segments before the first capitalised one. */
    private static String packageOf(String name) {
        String[] parts = name.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (!p.isEmpty() && Character.isUpperCase(p.charAt(0))) {
                break;
            }
            sb.append(sb.length() == 0 ? "" : ".").append(p);
        }
        return sb.toString();
    }

    /** Strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> g, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> scc = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1) {
                out.add(scc);
            }
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
