package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenario S3 or S4 on the real kernel in a JVM of its own whose {@code dev.netlib.changes}
 * logger writes DEBUG to a file; when the scenario says it is built (before its teardown) it
 * writes how many commands were logged so far and the {@link ReplayState} of every namespace they
 * name. Arguments: {@code S3|S4 ETC_DIR LOG_FILE STATE_FILE}.
 */
public final class LogReplayChild {
    private LogReplayChild() {}

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        Path etc = Path.of(args[1]);
        Path log = Path.of(args[2]);
        Path stateFile = Path.of(args[3]);
        try (Netlib root = Netlib.open()) {
            PrintStream out = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
                @Override
                public void println(String x) {
                    System.out.println(x);
                    if (x.startsWith(scenario + " built")) {
                        snapshot(root, log, stateFile);
                    }
                }
            };
            if (scenario.equals("S3")) {
                S3ManualWay.run(root, false, etc, out);
            } else {
                S4Publishing.run(root, false, etc, out);
            }
        }
        if (!Files.exists(stateFile)) {
            throw new IllegalStateException(scenario + " never said it was built");
        }
    }

    private static void snapshot(Netlib root, Path log, Path stateFile) {
        List<String> commands = LoggedCommands.read(log);
        List<String> lines = new ArrayList<>();
        lines.add(Integer.toString(commands.size()));
        for (String label : LoggedCommands.labels(commands)) {
            if (label.startsWith("anon-")) {
                continue; // no name to open it by; the same namespace is also named by its /proc path
            }
            try (Namespace ns = label.contains("/") ? root.namespaces().open(Path.of(label)) : root.namespaces().open(label)) {
                lines.add("== " + label);
                lines.addAll(ReplayState.of(root.in(ns)));
            }
        }
        try {
            Files.write(stateFile, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
