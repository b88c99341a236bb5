package dev.netlib.examples.bench;

import dev.netlib.lock.HostFileLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link HostFileLock} costs, free and fought over, through {@code
 * HostFileLock.Reusable(file, mode).acquire()}. (Earlier versions took a JVM lock as a third
 * argument; since one JVM lock per file is HostFileLock's own, a third argument is an extra lock
 * for files with several names, which this benchmark must not add.)
 *
 * <ul>
 *   <li>{@code free N}: N takes and releases in one process, nobody else near the file: ns each.</li>
 *   <li>{@code fight P N HOLD_US GAP_US}: P processes (this class again, as {@code worker}) each take
 *       the lock N times, hold it HOLD_US (busy, as a change's work), release it, and work GAP_US
 *       outside it; all start together. Prints the wall time of the whole run, the acquisitions per
 *       second over all processes, and the wait of each acquisition (median, 99th percentile, most),
 *       over all of them.</li>
 * </ul>
 *
 * The lock file is a temporary file, removed at the end.
 *
 * <p>Usage: {@code java -cp netlib-examples.jar dev.netlib.examples.bench.LockBench free 100000} or
 * {@code ... LockBench fight 3 2000 200 100}.
 */
public final class LockBench {
    private LockBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "free" -> free(Integer.parseInt(args[1]));
            case "fight" -> fight(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "worker" -> worker(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("usage: LockBench free N | fight P N HOLD_US GAP_US");
        }
    }

    private static void free(int n) throws Exception {
        Path file = Files.createTempFile("lockbench", ".lock");
        try (HostFileLock.Reusable lock = new HostFileLock.Reusable(file, PosixFilePermissions.fromString("rw-------"))) {
            for (int round = 0; round < 5; round++) { // the first rounds warm the JIT
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    lock.acquire().close();
                }
                System.out.printf(Locale.ROOT, "free round %d: %.0f ns per take + release%n", round, (System.nanoTime() - t0) / (double) n);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void fight(int processes, int n, int holdUs, int gapUs) throws Exception {
        Path file = Files.createTempFile("lockbench", ".lock");
        Path start = file.resolveSibling(file.getFileName() + ".start");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> workers = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                workers.add(new ProcessBuilder(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), LockBench.class.getName(), "worker",
                        file.toString(), start.toString(), Integer.toString(n), Integer.toString(holdUs), Integer.toString(gapUs))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            for (Process w : workers) { // each is warm and waiting for the start
                new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8)).readLine();
            }
            long t0 = System.nanoTime();
            Files.createFile(start);
            long[] waits = new long[processes * n];
            int k = 0;
            for (Process w : workers) {
                for (String line : new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        waits[k++] = Long.parseLong(line.trim());
                    }
                }
                w.waitFor();
            }
            double wallMs = (System.nanoTime() - t0) / 1e6;
            long[] w = Arrays.copyOf(waits, k);
            Arrays.sort(w);
            System.out.printf(Locale.ROOT, "fight %d x %d, hold %d us, gap %d us: wall %.0f ms, %.0f takes/s, wait us median %.1f p99 %.1f max %.1f%n",
                    processes, n, holdUs, gapUs, wallMs, k / (wallMs / 1000), w[k / 2] / 1e3, w[(int) (k * 0.99)] / 1e3, w[k - 1] / 1e3);
        } finally {
            for (Process w : workers) {
                w.destroyForcibly();
            }
            Files.deleteIfExists(start);
            Files.deleteIfExists(file);
        }
    }

    /** One fighter: warms up alone, says READY, waits for the start file, then prints each wait in ns. */
    private static void worker(Path file, Path start, int n, int holdUs, int gapUs) throws Exception {
        long[] waits = new long[n];
        try (HostFileLock.Reusable lock = new HostFileLock.Reusable(file, PosixFilePermissions.fromString("rw-------"))) {
            for (int i = 0; i < 2000; i++) {
                lock.acquire().close();
            }
            System.out.println("READY");
            System.out.flush();
            while (!Files.exists(start)) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                HostFileLock held = lock.acquire();
                long t1 = System.nanoTime();
                waits[i] = t1 - t0;
                spin(holdUs);
                held.close();
                spin(gapUs);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (long w : waits) {
            sb.append(w).append('\n');
        }
        System.out.print(sb);
        System.out.flush();
    }

    private static void spin(int us) {
        long end = System.nanoTime() + us * 1000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
