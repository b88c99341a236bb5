package dev.netlib.examples.bench.cluster;

import dev.netlib.value.IpAddresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A host in a JVM of its own ({@link HostMain}), so a crash is a real {@code kill -9}: the process
 * dies with its lease un-revoked, its kernel objects stay, and the others must withdraw its endpoints
 * when the lease expires.
 */
final class ChildHost implements ClusterHost {
    private final int index;
    private final Process process;
    private final PrintStream in;
    private final BufferedReader out;
    private volatile boolean crashed;
    private boolean closed;

    /**
     * Starts host {@code index}'s JVM. Its Vert.x (jetcd) cache directory goes under {@code
     * vertxCaches}, which the caller removes: a JVM killed with SIGKILL cannot remove its own (nor
     * its /tmp/hsperfdata_USER/PID file, hence -XX:-UsePerfData).
     */
    ChildHost(int index, String hostNs, String etcd, long leaseTtlSeconds, boolean names, Path log, Path vertxCaches) throws IOException {
        this.index = index;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx96m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-Dvertx.cacheDirBase=" + vertxCaches.resolve("vertx-cache"), "-cp", System.getProperty("java.class.path"), HostMain.class.getName(),
                Integer.toString(index), hostNs, etcd, Long.toString(leaseTtlSeconds), Boolean.toString(names)));
        this.process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (!"ok ready".equals(ready)) {
            process.destroyForcibly();
            String tail;
            try {
                List<String> lines = Files.readAllLines(log);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            } catch (IOException e) {
                tail = e.toString();
            }
            throw new IllegalStateException("host " + index + "'s JVM did not start (" + ready + "); the hosts' log ends with:\n" + tail);
        }
    }

    private synchronized String ask(String command) {
        in.println(command);
        try {
            String answer = out.readLine();
            if (answer == null) {
                throw new IllegalStateException("host " + index + "'s JVM exited");
            }
            if (!answer.startsWith("ok")) {
                throw new IllegalStateException("host " + index + ": " + command + ": " + answer);
            }
            return answer.length() > 2 ? answer.substring(3) : "";
        } catch (IOException e) {
            throw new IllegalStateException("host " + index + "'s JVM: " + e, e);
        }
    }

    @Override
    public int index() {
        return index;
    }

    /** The JVM's process id. */
    long pid() {
        return process.pid();
    }

    @Override
    public void createNetwork(String network, String subnet) {
        ask("create " + network + " " + subnet);
    }

    @Override
    public Joined connect(String network, String container) {
        String[] f = ask("connect " + network + " " + container).split(" ");
        return new Joined(index, container, IpAddresses.parse(f[0]), f[1], Long.parseLong(f[2]));
    }

    @Override
    public long disconnect(String network, String container) {
        return Long.parseLong(ask("disconnect " + network + " " + container));
    }

    @Override
    public StoreCounters counters() {
        if (crashed) {
            return StoreCounters.ZERO;
        }
        return StoreCounters.decode(ask("stats").split(" ")[0]);
    }

    @Override
    public long threads() {
        return crashed ? 0 : Long.parseLong(ask("stats").split(" ")[1]);
    }

    @Override
    public long rssBytes() {
        try {
            return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.split("\\s+")[1]) * 1024).findFirst().orElse(-1);
        } catch (IOException gone) {
            return -1;
        }
    }

    @Override
    public void crash() {
        crashed = true;
        process.destroyForcibly(); // SIGKILL
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean crashed() {
        return crashed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!crashed && process.isAlive()) {
            try {
                ask("close");
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (RuntimeException | InterruptedException e) {
                System.err.println("host " + index + ": graceful close failed: " + e);
            }
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
