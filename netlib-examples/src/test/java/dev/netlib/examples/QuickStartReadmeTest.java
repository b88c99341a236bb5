package dev.netlib.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quick start must be the code that QuickStart.java compiles, line for line. */
class QuickStartReadmeTest {
    private static List<String> between(List<String> lines, String begin, String end) {
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (from < 0 && lines.get(i).contains(begin)) {
                from = i + 1;
            } else if (from >= 0 && lines.get(i).contains(end)) {
                to = i;
                break;
            }
        }
        assertThat(from).as("marker " + begin).isPositive();
        assertThat(to).as("marker " + end).isGreaterThan(from);
        return lines.subList(from, to);
    }

    @Test
    void readmeQuickStartIsTheCompiledCode() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> readme = between(Files.readAllLines(root.resolve("README.md")), "quickstart:begin", "quickstart:end");
        List<String> java = between(Files.readAllLines(root.resolve("netlib-examples/src/main/java/dev/netlib/examples/QuickStart.java")),
                "// quickstart:begin", "// quickstart:end");
        List<String> readmeCode = readme.stream().filter(l -> !l.startsWith("```")).collect(Collectors.toList());
        int indent = java.get(0).indexOf(java.get(0).trim());
        List<String> javaCode = java.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.trim()).collect(Collectors.toList());
        assertThat(readmeCode).isEqualTo(javaCode);
    }
}
