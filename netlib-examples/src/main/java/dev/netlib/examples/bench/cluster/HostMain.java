package dev.netlib.examples.bench.cluster;

import dev.netlib.Netlib;
import dev.netlib.value.IpAddresses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One simulated host in a JVM of its own ({@code cluster-bench --jvm-per-host}, and the host the chaos
 * run kills with SIGKILL): an {@link InProcessHost} driven by one-line commands on stdin, each answered
 * by one line on stdout, {@code ok ...} or {@code err MESSAGE}.
 *
 * <pre>
 * create NET SUBNET              ok
 * connect NET CONTAINER          ok IP MAC NANOS
 * disconnect NET CONTAINER       ok NANOS
 * stats                          ok REQ,OUT,IN,EVENTS,KEEPALIVES THREADS
 * close                          ok        (then exits)
 * </pre>
 *
 * Arguments: host index, host namespace name, etcd URL, lease TTL in seconds, names (true: hosts files). End of stdin (the bench
 * died) closes the host and exits, so no orphan JVM stays.
 */
public final class HostMain {
    private HostMain() {}

    /**
     * Runs the host until {@code close} or the end of stdin.
     *
     * @param args host index, host namespace, etcd URL, lease TTL (s), names (true/false)
     */
    public static void main(String[] args) throws Exception {
        ClusterBench.quietLogs();
        int index = Integer.parseInt(args[0]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but answers on the protocol stream
        try (Netlib root = Netlib.open()) {
            Netlib host = root.in(root.namespaces().open(args[1]));
            InProcessHost h = new InProcessHost(index, root, host, args[2], Duration.ofSeconds(Long.parseLong(args[3])),
                    Boolean.parseBoolean(args[4]));
            out.println("ok ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split(" ");
                try {
                    switch (w[0]) {
                        case "create" -> {
                            h.createNetwork(w[1], w[2]);
                            out.println("ok");
                        }
                        case "connect" -> {
                            ClusterHost.Joined j = h.connect(w[1], w[2]);
                            out.println("ok " + IpAddresses.format(j.ip()) + " " + j.mac() + " " + j.returnedNanos());
                        }
                        case "disconnect" -> out.println("ok " + h.disconnect(w[1], w[2]));
                        case "stats" -> out.println("ok " + h.counters().encode() + " " + threads());
                        case "close" -> {
                            h.close();
                            out.println("ok");
                            return;
                        }
                        default -> out.println("err unknown command " + w[0]);
                    }
                } catch (RuntimeException e) {
                    out.println("err " + String.valueOf(e.getMessage()).replace('\n', ' '));
                }
            }
            h.close();
        }
    }

    private static long threads() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Threads:"))
                    .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
