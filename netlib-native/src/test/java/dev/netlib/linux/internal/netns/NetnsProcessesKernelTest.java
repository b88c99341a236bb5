package dev.netlib.linux.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.testjvm.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs create the same names at the same moment ({@link NetnsRacer}), as container runtimes
 * sharing a host would. A named create unshares on a worker while it makes the name's file, so a
 * process that loses a name has made a namespace for nothing: it must close it and leave the
 * winner's name alone. Checked: every name won by exactly one process, and it names the namespace
 * that process holds (by inode); the losers keep no fd; once the winners delete, no name is left.
 */
class NetnsProcessesKernelTest {
    private static final int PROCESSES = 3;
    private static final int NAMES = 30;

    @Test
    void threeProcessesRacingForTheSameNamesLeaveExactlyTheWinnersNamespaces() throws Exception {
        ThrowawayNetns.assumeRoot();
        String prefix = "nln-race-" + ProcessHandle.current().pid() + "-";
        Path start = ChildJvm.newStartFlag("nln-race");
        List<Process> racers = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                racers.add(ChildJvm.builder(List.of(), NetnsRacer.class,
                        prefix, Integer.toString(NAMES), start.toString(), Integer.toString(i * NAMES / PROCESSES),
                        i % 2 == 0 ? "1" : "-1")
                        .redirectErrorStream(true).start());
            }
            for (Process p : racers) {
                readUntil(p, "READY"); // all warmed up: then all start within a millisecond of the file
            }
            Files.createFile(start);
            Map<String, Long> winners = new HashMap<>();
            Map<String, Integer> outcomes = new HashMap<>();
            List<Long> wins = new ArrayList<>();
            for (Process p : racers) {
                List<String> lines = readUntil(p, "RACED");
                wins.add(lines.stream().filter(l -> l.startsWith("WON ")).count());
                for (String line : lines) {
                    String[] f = line.split(" ");
                    if (f[0].equals("WON")) {
                        assertThat(winners.put(f[1], Long.parseLong(f[2]))).as("%s won twice", f[1]).isNull();
                    }
                    if (f[0].equals("WON") || f[0].equals("LOST")) {
                        outcomes.merge(f[1], 1, Integer::sum);
                    }
                }
            }
            System.out.println("netns race: names won per process " + wins);
            assertThat(outcomes).hasSize(NAMES).allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(PROCESSES));
            assertThat(winners).hasSize(NAMES);
            // each name is a mount of the winner's namespace, not of one a loser made and dropped
            for (Map.Entry<String, Long> w : winners.entrySet()) {
                assertThat(NsFiles.inodeOfPath(NsFiles.NETNS_RUN_DIR.resolve(w.getKey()))).as(w.getKey()).isEqualTo(w.getValue());
            }
            assertThat(names(prefix)).containsExactlyInAnyOrderElementsOf(winners.keySet());
            for (Process p : racers) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write("delete\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            for (Process p : racers) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(line(out, "FDS_AFTER ")).as("the racer's sockets and namespace fds after, against before: " + out)
                        .isEqualTo(line(out, "FDS_BEFORE "));
                assertThat(out.lines()).as(out).contains("REFS 0");
            }
            assertThat(names(prefix)).isEmpty();
        } finally {
            for (Process p : racers) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(start);
            for (String n : names(prefix)) {
                NlnSupport.removeQuietly(n);
            }
        }
    }

    /** Lines of {@code p} up to {@code marker}; fails with the output if it ends first. */
    private static List<String> readUntil(Process p, String marker) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = p.getInputStream().read()) >= 0) {
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.toString().equals(marker)) {
                return lines;
            }
            lines.add(line.toString());
            line.setLength(0);
        }
        throw new AssertionError("the racer ended before " + marker + ": " + String.join("\n", lines) + line);
    }

    /** What follows {@code label} on the line of {@code out} that starts with it. */
    private static String line(String out, String label) {
        return out.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow().substring(label.length());
    }

    private static List<String> names(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(NsFiles.NETNS_RUN_DIR)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }
}
