package dev.netlib.examples.bench.etcd;

import java.io.IOException;
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
 * A throwaway single-member etcd for the examples: Debian's {@code etcd} binary on 127.0.0.1 with free
 * ports and a temporary data directory. It can be stopped and started again on the same ports and data
 * (cluster-bench's chaos run restarts it); {@link #close()} kills it and deletes the directory. (The
 * tests of netlib-etcd have their own, EtcdServer: a library module cannot depend on the examples.)
 */
public final class EtcdProcess implements AutoCloseable {
    private final Path binary;
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private volatile Process process;

    private final String label;

    private EtcdProcess(Path binary, String label) throws IOException {
        this.binary = binary;
        this.label = label;
        this.dataDir = Files.createTempDirectory(label + "-etcd-");
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    /**
     * The etcd binary on the PATH (or /usr/bin/etcd), or null.
     *
     * @return its path, or null when there is none
     */
    public static Path binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "etcd");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Starts etcd and waits until it listens.
     *
     * @param label names the member and prefixes the data directory (for example {@code nls-s5})
     * @return the running etcd
     * @throws Exception when there is no etcd binary, or it does not start listening within 20 s
     */
    public static EtcdProcess start(String label) throws Exception {
        Path bin = binary();
        if (bin == null) {
            throw new IllegalStateException("no etcd binary on the PATH: apt-get install etcd-server");
        }
        EtcdProcess e = new EtcdProcess(bin, label);
        try {
            e.startProcess();
        } catch (Exception failure) {
            e.close();
            throw failure;
        }
        return e;
    }

    /**
     * The client URL.
     *
     * @return {@code http://127.0.0.1:PORT}
     */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /**
     * The data directory (deleted by {@link #close()}).
     *
     * @return its path
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The process id of the running etcd.
     *
     * @return the pid, or -1 when it is not running
     */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /**
     * Starts (or restarts) etcd on the same ports and data directory, and waits until it listens.
     *
     * @throws Exception when it exits or does not listen within 20 s
     */
    public void startProcess() throws Exception {
        String name = label + "-" + ProcessHandle.current().pid();
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(List.of(binary.toString(),
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
     * Stops etcd (SIGTERM, then SIGKILL after 10 s), keeping its data for a restart.
     *
     * @throws InterruptedException when interrupted while waiting for it to end
     */
    public void stopProcess() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Kills etcd and deletes its data directory. Safe to call twice, and from a shutdown hook. */
    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            deleteTree(dataDir);
        } catch (IOException e) {
            System.err.println("cleanup: cannot delete " + dataDir + ": " + e);
        }
    }

    /**
     * Deletes {@code dir} and everything under it, if it exists.
     *
     * @param dir the directory
     * @throws IOException when something cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
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
