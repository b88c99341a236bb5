package dev.netlib.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A throwaway single-member etcd: Debian's {@code etcd} binary (etcd 3.4, package etcd-server) on
 * 127.0.0.1 with two free ports and a temporary data directory, for tests and demos that need a real
 * cluster store. {@link #close()} kills it and deletes the directory; a JVM shutdown hook does the
 * same when the JVM ends without closing it (Ctrl-C, SIGTERM, {@code System.exit}, a test run's fork
 * ending). It can be stopped and started again on the same ports and data ({@link #stopProcess()},
 * {@link #startProcess()}) and frozen ({@link #freeze(boolean)}), to test clients riding out an outage.
 *
 * <p>A JVM killed with SIGKILL (a test run's timeout, the OOM killer, {@code kill -9}) runs no hook,
 * and still leaves nothing running: etcd is started through {@code setpriv --pdeathsig KILL}
 * (util-linux), so the kernel kills it when the JVM dies, from a thread that lives as long as etcd
 * (the kernel sends that signal when the forking <em>thread</em> ends, so the caller's thread may
 * end any time). The directory carries an {@code owner} file (the JVM's boot id, pid namespace, pid
 * and start time), and every start first removes the directories under /dev/shm and {@code
 * java.io.tmpdir} whose owner has ended, killing any etcd still running on one (where setpriv is
 * missing, or too old for {@code --pdeathsig}, that is what stops it). A reused pid does not pass
 * for the owner: it has a later start time. Most of the time the directory goes at once, though: a
 * small {@code sh} started beside etcd notices the JVM's death as the end of a pipe only the JVM
 * writes to, kills the etcd it was told of and deletes the directory (on /dev/shm etcd's directory
 * holds some 120 MB of memory).
 *
 * <pre>{@code
 * try (ThrowawayEtcd etcd = ThrowawayEtcd.startOnTmpfs("myapp")) {
 *     EtcdClusterStore store = EtcdClusterStore.connect(etcd.endpoint());
 *     ...
 * }
 * }</pre>
 *
 * <p>It runs {@code etcd --name LABEL-PID --data-dir DIR/data --listen-client-urls
 * http://127.0.0.1:C --advertise-client-urls http://127.0.0.1:C --listen-peer-urls
 * http://127.0.0.1:P --initial-advertise-peer-urls http://127.0.0.1:P --initial-cluster
 * LABEL-PID=http://127.0.0.1:P --initial-cluster-state new} (behind {@code setpriv --pdeathsig
 * KILL -- /bin/sh -c 'check the parent; exec etcd ...'} where setpriv can), its output appended to
 * {@code DIR/etcd.log}, and counts it as started once {@code GET /health} on the client port says {@code
 * "health":"true"}: the member has elected itself and serves reads, not merely listens. Every
 * address is loopback of the JVM's network namespace, so it never touches the machine's network.
 */
public final class ThrowawayEtcd implements AutoCloseable {
    private static final Path SHM = Path.of("/dev/shm");
    /** What a member name and a temporary directory's prefix may be made of. */
    static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9.-]{0,39}");
    private static final long START_SECONDS = 20;
    /** Fresh ports tried when another process took a free port between our probe and etcd's bind. */
    private static final int PORT_ATTEMPTS = 3;
    private static final String NO_BINARY =
            "no etcd binary on the PATH, /usr/bin or /usr/local/bin: install Debian's etcd-server (apt-get install etcd-server)";

    private final Path binary;
    private final String label;
    private final Path dataDir;
    private final Thread hook;
    private volatile int clientPort;
    private volatile int peerPort;
    private volatile Process process;
    /** Deletes the directory if this JVM dies without closing it; null where there is no /bin/sh. */
    private volatile Reaper reaper;
    private boolean frozen;
    private boolean closed;

    private ThrowawayEtcd(Path binary, String label, Path dataDir) {
        this.binary = binary;
        this.label = label;
        this.dataDir = dataDir;
        this.hook = new Thread(this::closeAtExit, label + "-etcd-cleanup");
    }

    /**
     * The etcd binary: the first executable {@code etcd} in a directory of the PATH, then in
     * {@code /usr/bin} and {@code /usr/local/bin} (a service's or sudo's PATH may lack them).
     *
     * @return its path, or empty when there is none
     */
    public static Optional<Path> binary() {
        return Executables.find("etcd", "/usr/bin", "/usr/local/bin");
    }

    /**
     * Starts etcd with its data directory under the JVM's temporary directory ({@code
     * java.io.tmpdir}), where etcd's fsync of every write costs what it costs on that disk: for
     * benchmarks and demos that should see a store as it runs in production.
     *
     * @param label names the member ({@code LABEL-PID}) and prefixes the data directory ({@code
     *     LABEL-etcd-}): lower-case letters, digits, dots and dashes, at most 40
     * @return the running etcd, answering on {@link #endpoint()}
     * @throws IllegalStateException when there is no etcd binary ({@link #binary()})
     * @throws IOException when etcd exits or does not answer within 20 s (its log is in the message)
     * @throws InterruptedException when interrupted while waiting for it; nothing is left behind
     */
    public static ThrowawayEtcd start(String label) throws IOException, InterruptedException {
        return start(label, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Starts etcd with its data directory on {@code /dev/shm} when that is a writable directory (else
     * as {@link #start}): etcd fsyncs its write-ahead log on every write (etcd 3.4 has no {@code
     * --unsafe-no-fsync}), and on a slow disk a store-heavy test waits for exactly that, while on
     * tmpfs an fsync is free. A test's etcd needs no durability beyond a restart of the process,
     * which tmpfs keeps. (On the CI machine an fdatasync costs 0.2 ms and the full-size etcd races
     * took the same 30 s either way: see BENCHMARKS.md.)
     *
     * @param label as for {@link #start}
     * @return the running etcd, answering on {@link #endpoint()}
     * @throws IllegalStateException when there is no etcd binary ({@link #binary()})
     * @throws IOException when etcd exits or does not answer within 20 s (its log is in the message)
     * @throws InterruptedException when interrupted while waiting for it; nothing is left behind
     */
    public static ThrowawayEtcd startOnTmpfs(String label) throws IOException, InterruptedException {
        boolean tmpfs = Files.isDirectory(SHM) && Files.isWritable(SHM);
        return start(label, tmpfs ? SHM : Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static ThrowawayEtcd start(String label, Path parent) throws IOException, InterruptedException {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("etcd label must match " + LABEL + ": " + label);
        }
        Path bin = binary().orElseThrow(() -> new IllegalStateException(NO_BINARY));
        Orphans.sweep(List.of(SHM, Path.of(System.getProperty("java.io.tmpdir"))));
        ThrowawayEtcd etcd = new ThrowawayEtcd(bin, label, Files.createTempDirectory(parent, label + "-etcd-"));
        try {
            Optional<OwnerMark> mark = OwnerMark.current();
            if (mark.isPresent()) {
                mark.get().writeTo(etcd.dataDir); // before etcd runs: a SIGKILL from here on leaves an orphan the next start removes
            }
            etcd.reaper = Reaper.start(etcd.dataDir).orElse(null);
            Runtime.getRuntime().addShutdownHook(etcd.hook);
            etcd.firstStart();
        } catch (Throwable failure) {
            try {
                etcd.close();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        return etcd;
    }

    /** Starts etcd on fresh free ports, again on other ones when another process took one first. */
    private synchronized void firstStart() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            clientPort = freePort();
            do {
                peerPort = freePort();
            } while (peerPort == clientPort);
            try {
                startProcess();
                return;
            } catch (PortTaken taken) {
                if (attempt == PORT_ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    /**
     * The client URL, for the client's endpoints.
     *
     * @return {@code http://127.0.0.1:PORT}
     */
    public String endpoint() {
        return url(clientPort);
    }

    /**
     * The temporary directory that holds etcd's data ({@code data/}), its output ({@code
     * etcd.log}) and the mark of the JVM that owns it ({@code owner}); deleted by {@link #close()},
     * or by the next start in any JVM once this one has died without closing it.
     *
     * @return its path
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The process id of the running etcd.
     *
     * @return the pid, or -1 when it is not running (stopped, or closed)
     */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /**
     * Starts etcd again after {@link #stopProcess()}, on the same ports and data directory (so with
     * the same keys and leases), and waits until it answers.
     *
     * @throws IllegalStateException when it is running, or closed
     * @throws IOException when it exits or does not answer within 20 s; it is then not running
     * @throws InterruptedException when interrupted while waiting; it is then not running
     */
    public synchronized void startProcess() throws IOException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("etcd " + endpoint() + " is closed");
        }
        if (pid() >= 0) {
            throw new IllegalStateException("etcd " + endpoint() + " is running (pid " + pid() + ")");
        }
        Path log = dataDir.resolve("etcd.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        String name = label + "-" + ProcessHandle.current().pid();
        String peer = url(peerPort);
        ProcessBuilder builder = new ProcessBuilder(DeathSignal.wrap(List.of(binary.toString(),
                "--name", name,
                "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", name + "=" + peer,
                "--initial-cluster-state", "new",
                "--log-level", "warn",
                "--logger", "zap")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = ParentThread.start(builder, label + "-etcd-parent");
        process = p;
        frozen = false;
        Reaper r = reaper;
        if (r != null) {
            r.running(p);
        }
        try {
            awaitHealthy(p, log, logStart);
        } catch (Throwable failure) {
            kill(p);
            if (r != null) {
                r.stopped();
            }
            throw failure;
        }
    }

    private void awaitHealthy(Process p, Path log, long logStart) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!EtcdHealth.answers(clientPort)) {
            if (!p.isAlive()) {
                String said = logSince(log, logStart);
                String why = "etcd exited with " + p.exitValue() + "; its log: " + said;
                // the free port we probed was taken before etcd bound it (another test's etcd, say)
                throw said.contains("address already in use") ? new PortTaken(why) : new IOException(why);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("etcd did not answer on " + endpoint() + "/health within " + START_SECONDS
                        + " s; its log: " + logSince(log, logStart));
            }
            Thread.sleep(50);
        }
    }

    /**
     * Freezes etcd (SIGSTOP) or thaws it (SIGCONT): its connections stay open and silent, as behind
     * a stuck proxy, which is what a stalled watch or keep-alive looks like to a client.
     *
     * @param freeze true to stop it, false to let it continue
     * @throws IllegalStateException when it is not running
     * @throws IOException when {@code kill} fails
     * @throws InterruptedException when interrupted while {@code kill} runs
     */
    public synchronized void freeze(boolean freeze) throws IOException, InterruptedException {
        long pid = pid();
        if (pid < 0) {
            throw new IllegalStateException("etcd " + endpoint() + " is not running");
        }
        String signal = freeze ? "-STOP" : "-CONT";
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed: " + said);
        }
        frozen = freeze;
    }

    /**
     * Stops etcd (SIGTERM; SIGKILL after 10 s), keeping its data for {@link #startProcess()}. A
     * frozen etcd is thawed first, as a stopped process acts on SIGTERM only once continued. Does
     * nothing when it is not running.
     *
     * @throws InterruptedException when interrupted while waiting for it to end
     */
    public synchronized void stopProcess() throws InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        if (frozen) {
            try {
                freeze(false);
            } catch (IOException ignored) {
                // SIGKILL below ends it all the same
            }
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            kill(p);
        }
        Reaper r = reaper;
        if (r != null && !p.isAlive()) {
            r.stopped();
        }
    }

    /**
     * Kills etcd (SIGKILL: the data goes anyway, so nothing is worth a graceful stop) and deletes its
     * data directory, and removes the shutdown hook that would have done it. Safe to call twice, and
     * from another shutdown hook.
     *
     * @throws UncheckedIOException when the data directory cannot be deleted (etcd is dead by then)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook may run, and then finds this closed
            }
        }
        Reaper r = reaper;
        if (r != null) {
            r.close(); // first: it must not clean up beside this
        }
        Process p = process;
        if (p != null) {
            kill(p);
        }
        try {
            Orphans.delete(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete etcd's data directory " + dataDir, e);
        }
    }

    /** The shutdown hook's work: never throws, as nothing above it would report it. */
    private void closeAtExit() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("netlib-testing-etcd: cleanup at exit: " + e);
        }
    }

    /**
     * A description for logs and assertion messages.
     *
     * @return the endpoint, pid and data directory
     */
    @Override
    public String toString() {
        return "etcd " + endpoint() + " (pid " + pid() + ", data " + dataDir + ")";
    }

    /**
     * SIGKILL, then waits for the process to end. An interrupt cuts the wait short (the signal is
     * sent: a killed process writes nothing more) and stays set for the caller to see.
     */
    private static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    private static String logSince(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** etcd could not bind a port: another process took it after {@link #freePort()} saw it free. */
    private static final class PortTaken extends IOException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }
}
