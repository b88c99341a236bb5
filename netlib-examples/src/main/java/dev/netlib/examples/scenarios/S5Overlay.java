package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.overlay.Cluster;
import dev.netlib.overlay.HostId;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario S5: an overlay across three hosts. The hosts are namespaces on an underlay switch (a
 * bridge in a namespace of its own, never the machine's network); a throwaway etcd on 127.0.0.1 is the
 * cluster store. Host 2 creates {@code my_olay} (10.0.0.0/24), host 3 sees it; web01 on host 2 and
 * web02 on host 3 reach each other over TCP by address and by name through VXLAN, and the outside (a
 * server on the underlay) through eth1 and the gateway bridge's masquerade; then host 3 leaves and
 * its entries vanish from host 2. Everything is removed at the end and on Ctrl-C.
 *
 * <p>Needs root and Debian's etcd-server ({@code apt-get install -y etcd-server}).
 */
public final class S5Overlay {
    private S5Overlay() {}

    /** Runs the scenario (root, etcd-server installed); cleans up at the end and on Ctrl-C. */
    public static void main(String[] args) throws Exception {
        if (ThrowawayEtcd.binary().isEmpty()) {
            System.err.println("s5 needs etcd: install Debian's etcd-server (apt-get install -y etcd-server)");
            System.exit(2);
        }
        if (Files.readAllLines(Path.of("/proc/self/status")).stream().noneMatch(l -> l.matches("Uid:\\s+0\\s.*"))) {
            System.err.println("s5 needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) to make the hosts' namespaces and VXLAN devices");
            System.exit(2);
        }
        try (Netlib root = Netlib.open(); ScratchNamespaces scratch = new ScratchNamespaces(root, "s5", Path.of("/etc/netns"))) {
            run(root, scratch, Path.of("/etc/netns"), System.out);
        }
    }

    static Result run(Netlib root, ScratchNamespaces scratch, Path etcNetns, java.io.PrintStream out) throws Exception {
        String url = S5Processes.startEtcd(scratch);
        out.println("etcd (cluster store) on " + url);

        Namespace ul = scratch.namespace("ul");
        Netlib underlay = root.in(ul);
        underlay.bridge("ul0").up().create();
        List<Namespace> hosts = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            Namespace ns = scratch.namespace("h" + h);
            hosts.add(ns);
            underlay.veth("ul-h" + h).master("ul0").up().peer("eth0", p -> p.namespace(ns).up()).create();
            root.in(ns).batch().linkUp("lo").addAddress("eth0", "10.99.0." + h + "/24").apply();
            out.println("host " + h + ": namespace " + ns.name().orElseThrow() + ", eth0 10.99.0." + h + "/24 on the underlay switch");
        }
        Namespace outside = scratch.namespace("outside");
        underlay.veth("ul-out").master("ul0").up().peer("eth0", p -> p.namespace(outside).up()).create();
        root.in(outside).batch().linkUp("lo").addAddress("eth0", "10.99.0.100/24").apply();
        TcpProbe servers = new TcpProbe();
        scratch.onClose("stop the TCP servers", servers::close);
        servers.serve(outside, "outside");
        ServerSocket peerLog = logPeers(outside, 7001);
        scratch.onClose("stop the peer logger", () -> closeQuietly(peerLog));

        // the agents' records of the entries they wrote: a throwaway directory, not /run/netlib/overlay,
        // as these three "hosts" share one machine and the scenario must leave nothing behind
        Path records = Files.createTempDirectory("netlib-s5-records-");
        scratch.removeOnClose(records);
        List<Networks> nets = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            EtcdClusterStore store = EtcdClusterStore.connect(url);
            scratch.onClose("close the etcd client of host " + h, store::close);
            Networks n = Networks.builder(root.in(hosts.get(h - 1))).store(new MemoryIpamStore()).etcNetns(etcNetns)
                    .cluster(Cluster.of(store, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h), b -> b.recordDir(records))).open();
            nets.add(n);
            scratch.onClose("stop the overlay agent of host " + h, n::close);
            out.println("host " + h + ": overlay agent up (lease, watch and kernel threads in this JVM)");
        }
        Networks h2 = nets.get(1);
        Networks h3 = nets.get(2);

        h2.create("my_olay").driver(DriverKind.OVERLAY).subnet("10.0.0.0/24").create();
        out.println("host 2: created overlay network my_olay 10.0.0.0/24, " + h2.inspect("my_olay").options());
        out.println("host 3 sees my_olay at once: " + h3.find("my_olay").isPresent());

        Namespace web01 = scratch.namespace("web01");
        Namespace web02 = scratch.namespace("web02");
        Endpoint e1 = h2.endpoint("my_olay", web01).name("web01").connect();
        Endpoint e2 = h3.endpoint("my_olay", web02).name("web02").connect();
        out.println("web01 on host 2: " + e1.ip() + " " + e1.mac() + "; web02 on host 3: " + e2.ip() + " " + e2.mac());
        String vx = root.in(hosts.get(1)).links().stream().filter(l -> l.name().startsWith("nlv-")).findFirst().orElseThrow().name();
        awaitNeighbour(root.in(hosts.get(1)), vx, e2.address(), true);
        printTables(root.in(hosts.get(1)), vx, "host 2", out);

        servers.serve(web02, "web02");
        String ctr1 = web01.name().orElseThrow();
        long r0 = System.nanoTime();
        // files only: a miss in the hosts file would fall through to DNS, which no one answers in
        // these namespaces, and one resolver timeout (5 s) would be measured instead of the file's update
        while (S5Processes.sh("ip", "netns", "exec", web01.name().orElseThrow(), "getent", "-s", "files", "hosts", "web02").isBlank()
                && System.nanoTime() - r0 < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(20);
        }
        out.printf("web01's hosts file names web02 after %d ms%n", (System.nanoTime() - r0) / 1_000_000);
        String byAddress = TcpProbe.probe(web01, e2.address(), 3000);
        out.println("TCP web01 -> " + e2.ip() + ":7000 (by address): " + byAddress);
        String byName = S5Processes.sh("ip", "netns", "exec", ctr1, "bash", "-c", "exec 3<>/dev/tcp/web02/7000 && head -1 <&3").trim();
        out.println("TCP web01 -> web02:7000 (by name, ip netns exec + bash /dev/tcp): " + byName);
        String resolved = S5Processes.sh("ip", "netns", "exec", ctr1, "getent", "hosts", "web02").trim();
        out.println("web01 resolves web02 as: " + resolved);
        String outsideAnswer = TcpProbe.probe(web01, IpAddresses.parse("10.99.0.100"), 3000);
        out.println("TCP web01 -> outside 10.99.0.100:7000 through eth1: " + outsideAnswer);
        String outsideSaw = TcpProbe.probe(web01, IpAddresses.parse("10.99.0.100"), 7001, 3000);
        out.println("the outside saw web01 coming from: " + outsideSaw + " (host 2's address: masquerade)");
        long t0 = System.nanoTime();
        h3.close();
        awaitNeighbour(root.in(hosts.get(1)), vx, e2.address(), false);
        long leaveMs = (System.nanoTime() - t0) / 1_000_000;
        out.printf("host 3 left (agent closed, lease revoked): web02 gone from host 2's tables after %d ms%n", leaveMs);
        printTables(root.in(hosts.get(1)), vx, "host 2", out);
        String resolvedAfter = S5Processes.sh("ip", "netns", "exec", ctr1, "getent", "hosts", "web02").trim();
        for (long r1 = System.nanoTime(); !resolvedAfter.isEmpty() && System.nanoTime() - r1 < TimeUnit.SECONDS.toNanos(2); ) {
            Thread.sleep(20); // hosts files follow the store within 50 ms
            resolvedAfter = S5Processes.sh("ip", "netns", "exec", ctr1, "getent", "hosts", "web02").trim();
        }
        out.println("web01 resolves web02 now as: '" + resolvedAfter + "'");
        out.println("done; cleaning up");
        return new Result(e1.ip(), e2.ip(), byAddress, byName, resolved, outsideAnswer, outsideSaw, leaveMs, resolvedAfter);
    }

    /**
     * What the scenario saw.
     *
     * @param web01 web01's address
     * @param web02 web02's address
     * @param byAddress what web02's server answered to web01 by address
     * @param byName what it answered by name
     * @param resolved web01's getent for web02
     * @param outside what the outside server answered through eth1
     * @param outsideSaw the source address the outside saw
     * @param leaveMs ms until host 3's entries were gone from host 2
     * @param resolvedAfter web01's getent for web02 after host 3 left
     */
    public record Result(String web01, String web02, String byAddress, String byName, String resolved, String outside, String outsideSaw,
            long leaveMs, String resolvedAfter) {}


    private static void printTables(Netlib host, String vx, String who, java.io.PrintStream out) {
        out.println(who + ": ip neigh show dev " + vx + ":");
        host.neighbors().list().stream().filter(n -> n.device().equals(vx))
                .forEach(n -> out.println("  " + IpAddresses.format(n.address()) + " lladdr " + n.mac() + " " + n.states()));
        out.println(who + ": bridge fdb show dev " + vx + " (self):");
        host.fdb().list(vx).stream().filter(f -> f.self() && !f.master())
                .forEach(f -> out.println("  " + f.mac() + " dst " + IpAddresses.format(f.destination()) + (f.isPermanent() ? " permanent" : "")));
    }

    private static void awaitNeighbour(Netlib host, String vx, InetAddress ip, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            boolean has = host.neighbors().list().stream().anyMatch(n -> n.device().equals(vx) && n.address().equals(ip))
                    && host.fdb().list(vx).stream().anyMatch(f -> f.self() && !f.master() && f.mac().equals(dev.netlib.value.MacAddress.fromIpv4(ip)));
            if (!present) {
                has = host.neighbors().list().stream().anyMatch(n -> n.device().equals(vx) && n.address().equals(ip))
                        || host.fdb().list(vx).stream().anyMatch(f -> f.self() && !f.master() && f.mac().equals(dev.netlib.value.MacAddress.fromIpv4(ip)));
            }
            if (has == present) {
                return;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("neighbour " + IpAddresses.format(ip) + " on " + vx + " did not become " + (present ? "present" : "absent"));
    }

    /** A server in {@code ns} that answers every connection with the address it came from. */
    private static ServerSocket logPeers(Namespace ns, int port) {
        ServerSocket s = ns.run(() -> {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return server;
        });
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write((IpAddresses.format(c.getInetAddress()) + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException closed) {
                    // the loop ends
                }
            }
        }, "s5-peer-logger");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
