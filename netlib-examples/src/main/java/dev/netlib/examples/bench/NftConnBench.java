package dev.netlib.examples.bench;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.nat.Nat;
import dev.netlib.nat.NatRule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * New TCP connections per second through a published port (DNAT), with 1 and with N (default
 * 1,000) ports published: a published port is an element of an nf_tables map, so a connection's
 * lookup should not depend on how many there are.
 *
 * <p>Topology, in three namespaces made for the run and deleted after it: a client (10.89.0.2)
 * connects to the host's uplink address 10.89.0.1, port 30000, published to a server on
 * 10.88.0.2:80 behind bridge nlbbr0 of the host. The client opens and closes connections one
 * after another (SO_LINGER 0, so no TIME_WAIT piles up) for a fixed time; the server accepts and
 * closes. Runs alternate 1 and N published ports, several times; medians are reported.
 *
 * <p>Usage: {@code nft-conn-bench [N=1000] [SECONDS=3] [REPS=3]} (root). Prints a table and one JSON line.
 */
public final class NftConnBench {
    private static final String BRIDGE_MAC = "02:00:00:00:88:01";
    private static final String BOX_MAC = "02:00:00:00:88:02";
    private static final String UPLINK_MAC = "02:00:00:00:89:01";
    private static final String CLIENT_MAC = "02:00:00:00:89:02";

    private NftConnBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (Syscalls.libc().geteuid() != 0) {
            System.err.println("nft-conn-bench needs root");
            System.exit(2);
        }
        long pid = ProcessHandle.current().pid();
        try (Netlib root = Netlib.open();
             Namespace host = root.namespaces().create("nlb-host-" + pid);
             Namespace box = root.namespaces().create("nlb-box-" + pid);
             Namespace client = root.namespaces().create("nlb-cl-" + pid)) {
            Netlib h = root.in(host);
            h.batch().linkUp("lo").apply();
            h.bridge("nlbbr0").mac(BRIDGE_MAC).up().create().addAddress("10.88.0.1/24");
            h.veth("nlbv0").master("nlbbr0").hairpin(true).up().peer("eth0", p -> p.namespace(box).mac(BOX_MAC).up()).create();
            h.veth("nlbup0").mac(UPLINK_MAC).up().peer("eth0", p -> p.namespace(client).mac(CLIENT_MAC).up()).create();
            h.batch().addAddress("nlbup0", "10.89.0.1/24").apply();
            root.in(box).batch().linkUp("lo").addAddress("eth0", "10.88.0.2/24").addDefaultRoute("10.88.0.1").apply();
            root.in(client).batch().linkUp("lo").addAddress("eth0", "10.89.0.2/24").addDefaultRoute("10.89.0.1").apply();
            // permanent neighbours: no ARP during the runs, and no dependence on the machine-wide
            // neighbour table's gc thresholds (permanent entries are not counted against them)
            h.neighbors().add("nlbup0", "10.89.0.2", CLIENT_MAC);
            h.neighbors().add("nlbbr0", "10.88.0.2", BOX_MAC);
            root.in(box).neighbors().add("eth0", "10.88.0.1", BRIDGE_MAC);
            root.in(client).neighbors().add("eth0", "10.89.0.1", UPLINK_MAC);
            ServerSocket server = box.run(() -> new ServerSocket(80, 4096));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        server.accept().close();
                    } catch (IOException e) {
                        // closed at the end
                    }
                }
            }, "nlb-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            try {
                run(h.nat(), client, n, seconds, reps);
            } finally {
                server.close();
            }
        }
    }

    static void run(Nat nat, Namespace client, int n, int seconds, int reps) throws Exception {
        NatRule first = NatRule.publish("30000:80", "10.88.0.2");
        List<NatRule> more = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            more.add(NatRule.publish((30000 + i) + ":80", "10.88.0.2"));
        }
        nat.add(first);
        rate(client, 30000, 1); // warm-up: JIT, conntrack, neighbour entries
        double[] one = new double[reps];
        double[] many = new double[reps];
        double[] manyLast = new double[reps];
        for (int r = 0; r < reps; r++) {
            one[r] = rate(client, 30000, seconds);
            nat.add(more.toArray(NatRule[]::new));
            many[r] = rate(client, 30000, seconds);
            manyLast[r] = rate(client, 30000 + n - 1, seconds);
            nat.remove(more.toArray(NatRule[]::new));
        }
        nat.remove(first);
        System.out.printf(Locale.ROOT, "new TCP connections per second through DNAT (client -> host:port -> container:80), %d s runs, %d reps%n",
                seconds, reps);
        System.out.printf(Locale.ROOT, "  1 published port:      %s /s%n", NftBench.stats(one));
        System.out.printf(Locale.ROOT, "  %d published ports:  %s /s (first port), %s /s (last port)%n", n, NftBench.stats(many),
                NftBench.stats(manyLast));
        System.out.printf(Locale.ROOT, "{\"bench\": \"nft-conn\", \"method\": \"netlib\", \"n\": %d, \"conn_per_s_1\": %.0f, \"conn_per_s_n\": %.0f, "
                + "\"conn_per_s_n_last\": %.0f}%n", n, NftBench.pct(one, 0.5), NftBench.pct(many, 0.5), NftBench.pct(manyLast, 0.5));
    }

    /** Connections per second from the client namespace to 10.89.0.1:PORT for {@code seconds}. */
    static double rate(Namespace client, int port, int seconds) throws Exception {
        return client.run(() -> {
            InetSocketAddress to = new InetSocketAddress("10.89.0.1", port);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long t0 = System.nanoTime();
            int count = 0;
            while (System.nanoTime() < end) {
                try (Socket s = new Socket()) {
                    s.setSoLinger(true, 0);
                    s.connect(to, 2000);
                }
                count++;
            }
            return count / ((System.nanoTime() - t0) / 1e9);
        });
    }
}
