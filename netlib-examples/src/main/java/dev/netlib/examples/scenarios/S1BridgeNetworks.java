package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NetlibException;
import dev.netlib.network.Endpoint;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Networks;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario S1, bridge networks on one host, built inside sandbox namespaces: a "host" namespace
 * holding the bridges, and box1..box6 as containers.
 * <ul>
 *   <li>box1, box2 on the default network {@code bridge} (172.17.0.0/16);</li>
 *   <li>box3, box4 on {@code my_net1} (no subnet given: the next default pool, 172.18.0.0/16);</li>
 *   <li>box5 at 172.20.18.6 and box6 at 172.20.18.8 on {@code my_net2} (172.20.18.0/24);</li>
 *   <li>a static address on my_net1 fails with Docker's message;</li>
 *   <li>the reachability matrix before and after {@code connect(my_net1, box2)} and
 *       {@code connect(my_net2, box4)}, by real TCP on the real kernel;</li>
 *   <li>names: box2 resolves box3 on my_net1, box1 does not resolve box2 on the default network;</li>
 *   <li>removing my_net1 while in use fails; disconnect frees the address.</li>
 * </ul>
 */
public final class S1BridgeNetworks {
    static final String[] BOXES = {"box1", "box2", "box3", "box4", "box5", "box6"};

    /** What the run found, for printing and for the scenario test. */
    public record Result(boolean[][] before, boolean[][] after, String staticAddressError, Optional<InetAddress> box2ResolvesBox3,
            Optional<InetAddress> box1ResolvesBox2, String byNameReply, String removeInUseError, Map<String, List<String>> addresses,
            String box2Hosts, boolean addressFreedOnDisconnect) {}

    private S1BridgeNetworks() {}

    /**
     * Runs S1 with {@code root} (a handle on the machine's namespace or on a FakeKernel). With
     * {@code realTraffic} reachability is proven by TCP connections; without (FakeKernel) it is
     * read from the model: two boxes reach each other when they share a network.
     */
    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        return run(root, realTraffic, true, etcNetns, out);
    }

    /** With {@code firewall} false no nftables rules are made: no masquerade, and no isolation between the networks. */
    public static Result run(Netlib root, boolean realTraffic, boolean firewall, Path etcNetns, PrintStream out) {
        try (Sandbox sandbox = new Sandbox(root, "s1", etcNetns); TcpProbe probe = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Netlib host = root.in(hostNs);
            host.link("lo").up();
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).firewall(firewall).open();
            Map<String, Namespace> boxes = new LinkedHashMap<>();
            for (String b : BOXES) {
                boxes.put(b, sandbox.namespace(b));
            }
            out.println("== S1: bridge networks on one host (sandbox namespaces " + sandbox.name("*") + ")");

            networks.endpoint("bridge", boxes.get("box1")).name("box1").connect();
            networks.endpoint("bridge", boxes.get("box2")).name("box2").connect();
            var net1 = networks.create("my_net1").create();
            var net2 = networks.create("my_net2").subnet("172.20.18.0/24").create();
            networks.endpoint("my_net1", boxes.get("box3")).name("box3").connect();
            networks.endpoint("my_net1", boxes.get("box4")).name("box4").connect();
            networks.endpoint("my_net2", boxes.get("box5")).name("box5").ip("172.20.18.6").connect();
            networks.endpoint("my_net2", boxes.get("box6")).name("box6").ip("172.20.18.8").connect();
            for (var n : networks.list()) {
                out.println("network " + n);
            }

            String staticError = null;
            try (Namespace extra = sandbox.namespace("extra")) {
                networks.endpoint("my_net1", extra).name("extra").ip("172.18.0.100").connect();
            } catch (NetlibException e) {
                staticError = e.getMessage();
            }
            out.println("static address on my_net1 (subnet not user-configured): " + staticError);

            if (realTraffic) {
                boxes.forEach((name, ns) -> probe.serve(ns, name));
            }
            boolean[][] before = matrix(networks, boxes, realTraffic);
            print(out, "reachability before the connects (row reaches column):", before);

            Endpoint box2eth1 = networks.endpoint("my_net1", boxes.get("box2")).name("box2").connect();
            Endpoint box4eth1 = networks.endpoint("my_net2", boxes.get("box4")).name("box4").connect();
            out.println("connect(my_net1, box2): " + box2eth1);
            out.println("connect(my_net2, box4): " + box4eth1);
            boolean[][] after = matrix(networks, boxes, realTraffic);
            print(out, "reachability after the connects:", after);

            Optional<InetAddress> box3 = networks.resolve("box2", "box3");
            Optional<InetAddress> box2 = networks.resolve("box1", "box2");
            out.println("box2 resolves \"box3\": " + box3.map(InetAddress::getHostAddress).orElse("no"));
            out.println("box1 resolves \"box2\" (default network, no names): " + box2.map(InetAddress::getHostAddress).orElse("no"));
            String reply = null;
            if (realTraffic && box3.isPresent()) {
                reply = TcpProbe.probe(boxes.get("box2"), box3.get(), 1000);
                out.println("box2 -> \"box3\" by name over TCP: the server answered " + reply);
            }
            String hostsFile = readHosts(etcNetns, sandbox.name("box2"));
            if (hostsFile != null) {
                out.println(etcNetns.resolve(sandbox.name("box2")).resolve("hosts") + ":\n" + hostsFile.indent(4));
            }
            out.println("docker network inspect my_net2:\n" + net2.inspect().render());

            Map<String, List<String>> addresses = new LinkedHashMap<>();
            for (String b : BOXES) {
                addresses.put(b, networks.endpointsOf(b).stream().map(e -> e.interfaceName() + " " + e.ip() + " (" + e.network() + ")").toList());
            }

            String inUse = null;
            try {
                net1.remove();
            } catch (NetlibException e) {
                inUse = e.getMessage();
            }
            out.println("remove my_net1 while in use: " + inUse);

            String freedIp = box2eth1.ip();
            box2eth1.disconnect();
            boolean freed = networks.endpoints("my_net1").stream().noneMatch(e -> e.ip().equals(freedIp))
                    && host.in(boxes.get("box2")).findLink("eth1").isEmpty();
            out.println("disconnect(my_net1, box2): eth1 gone and " + freedIp + " free again: " + freed);

            // Teardown as a runtime would do it: each container's endpoints are forgotten and its
            // namespace deleted, which takes its veths along; the empty networks then go.
            for (String b : BOXES) {
                networks.deleteContainer(b, boxes.get(b));
            }
            net1.remove();
            net2.remove();
            networks.network("bridge").remove();
            out.println("removed my_net1, my_net2 and bridge; deleting the sandbox namespaces");
            return new Result(before, after, staticError, box3, box2, reply, inUse, addresses, hostsFile, freed);
        }
    }

    private static String readHosts(Path etcNetns, String nsName) {
        if (etcNetns == null) {
            return null;
        }
        try {
            Path p = etcNetns.resolve(nsName).resolve("hosts");
            return java.nio.file.Files.exists(p) ? java.nio.file.Files.readString(p) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean[][] matrix(Networks networks, Map<String, Namespace> boxes, boolean realTraffic) {
        boolean[][] m = new boolean[BOXES.length][BOXES.length];
        for (int i = 0; i < BOXES.length; i++) {
            for (int j = 0; j < BOXES.length; j++) {
                if (i == j) {
                    m[i][j] = true;
                    continue;
                }
                List<Endpoint> targets = networks.endpointsOf(BOXES[j]);
                if (realTraffic) {
                    for (Endpoint t : targets) {
                        if (BOXES[j].equals(TcpProbe.probe(boxes.get(BOXES[i]), t.address(), 300))) {
                            m[i][j] = true;
                            break;
                        }
                    }
                } else {
                    List<String> mine = networks.endpointsOf(BOXES[i]).stream().map(Endpoint::network).toList();
                    m[i][j] = targets.stream().anyMatch(t -> mine.contains(t.network()));
                }
            }
        }
        return m;
    }

    static void print(PrintStream out, String title, boolean[][] m) {
        out.println(title);
        StringBuilder sb = new StringBuilder("        ");
        for (String b : BOXES) {
            sb.append(String.format("%-6s", b));
        }
        out.println(sb);
        for (int i = 0; i < BOXES.length; i++) {
            sb = new StringBuilder(String.format("  %-6s", BOXES[i]));
            for (int j = 0; j < BOXES.length; j++) {
                sb.append(String.format("%-6s", i == j ? "-" : m[i][j] ? "yes" : "no"));
            }
            out.println(sb);
        }
    }

    /** Lists every cell that differs between two matrices, for the summary. */
    static List<String> changes(boolean[][] before, boolean[][] after) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < BOXES.length; i++) {
            for (int j = 0; j < BOXES.length; j++) {
                if (before[i][j] != after[i][j]) {
                    out.add(BOXES[i] + " -> " + BOXES[j] + ": " + (after[i][j] ? "now reachable" : "no longer reachable"));
                }
            }
        }
        return out;
    }
}
