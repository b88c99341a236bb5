package dev.netlib.ipam.etcd;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway single-member etcd for tests: Debian's {@code etcd} binary on 127.0.0.1 with free
 * ports and a temporary data directory, removed by {@link #close()}. It can be stopped and started
 * again on the same ports and data, to test clients riding out an outage.
 *
 * <p>The data directory is on /dev/shm when there is one: etcd fsyncs its WAL on every write (etcd
 * 3.4 has no {@code --unsafe-no-fsync}), and on a slow disk that is what a store-heavy test waits
 * for; on tmpfs an fsync is free. (On the CI machine an fdatasync costs 0.2 ms and the full-size
 * races took the same 30 s either way: see BENCHMARKS.md.) A test's etcd needs no durability beyond
 * a restart of the process, which tmpfs keeps.
 */
public final class EtcdServer implements AutoCloseable {
    private static final Path SHM = Path.of("/dev/shm");
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdServer() throws IOException {
        this.dataDir = tmpfs() ? Files.createTempDirectory(SHM, "nli-etcd-") : Files.createTempDirectory("nli-etcd-");
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    private static boolean tmpfs() {
        return Files.isDirectory(SHM) && Files.isWritable(SHM);
    }

    /** The etcd binary on the PATH, or null. */
    public static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "etcd");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Starts etcd for a test, or skips the test (a JUnit assumption) when there is no etcd binary,
     * saying so on standard output so a skipped etcd test is seen in the build log.
     */
    public static EtcdServer startOrSkip() throws Exception {
        if (binary() == null) {
            String why = "etcd binary not found on PATH: install Debian's etcd-server (scripts/test.sh does) to run the etcd tests";
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        return start();
    }

    public static EtcdServer start() throws Exception {
        EtcdServer s = new EtcdServer();
        try {
            s.startProcess();
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Starts (or restarts) etcd on the same ports and data directory, and waits until it listens. */
    public void startProcess() throws Exception {
        String name = "nli-" + ProcessHandle.current().pid();
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(List.of(binary().toString(),
                "--name", name,
                "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", name + "=" + peer,
                "--initial-cluster-state", "new",
                "--log-level", "warn",
                "--logger", "zap"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + "; its log: " + Files.readString(dataDir.resolve("etcd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("etcd did not listen on " + endpoint() + " within 20 s");
    }

    /**
     * Freezes etcd (SIGSTOP) or thaws it (SIGCONT): its connections stay open and silent, as behind
     * a stuck proxy, which is what a stalled watch looks like to a client.
     */
    public void freeze(boolean frozen) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + (frozen ? "-STOP" : "-CONT") + " " + process.pid() + " failed");
        }
    }

    /** Stops etcd (SIGTERM, then SIGKILL after 10 s), keeping its data for a restart. */
    public void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                freeze(false); // a stopped process ignores SIGTERM until continued
            } catch (IOException ignored) {
                // SIGKILL below still ends it
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stopProcess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (Files.exists(dataDir)) {
            try (Stream<Path> s = Files.walk(dataDir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
