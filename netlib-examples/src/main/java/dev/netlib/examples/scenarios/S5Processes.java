package dev.netlib.examples.scenarios;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The two processes scenario S5 starts, kept apart from the scenario so the rule that netlib starts
 * no process (NoExternalProcessesTest) names exactly these: the real etcd the scenario needs as its
 * cluster store, and {@code ip netns exec} to resolve and connect by name the way a program inside a
 * container does (its /etc/hosts is the bind-mounted /etc/netns/NAME/hosts).
 */
final class S5Processes {
    private S5Processes() {}

    /** A throwaway etcd on 127.0.0.1 with free ports and a temporary data directory, both removed on close. */
    static String startEtcd(ScratchNamespaces scratch, Path binary) throws Exception {
        Path data = Files.createTempDirectory("nls-s5-etcd-");
        int client = freePort();
        int peer = freePort();
        String url = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Process p = new ProcessBuilder(binary.toString(), "--name", "s5", "--data-dir", data.resolve("data").toString(),
                "--listen-client-urls", url, "--advertise-client-urls", url, "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "s5=" + peerUrl, "--log-level", "warn", "--logger", "zap")
                .redirectErrorStream(true).redirectOutput(data.resolve("etcd.log").toFile()).start();
        scratch.onClose("stop etcd and remove " + data, () -> {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                try (Stream<Path> s = Files.walk(data)) {
                    for (Path f : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", client), 200);
                return url;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException("etcd exited: " + Files.readString(data.resolve("etcd.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("etcd did not listen on " + url + " within 20 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
