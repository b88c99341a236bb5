package dev.netlib.examples.scenarios;

import dev.netlib.Link;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.IpPool;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.MacvlanMode;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario S7, a flat network, inside sandbox namespaces: a LAN 192.168.77.0/24 (a switch
 * namespace with bridge {@code lan}), its router ({@code router}, 192.168.77.254) and two Docker
 * hosts ({@code host1} .11, {@code host2} .12) plugged in through their uplink {@code eth0}.
 * Containers get a macvlan (bridge mode) on their host's uplink, so they sit on the LAN itself
 * with LAN addresses from one pool shared by both hosts (192.168.77.128/25 of the LAN; one store,
 * as etcd would be across machines), and route through the LAN's router. No bridge on the hosts,
 * no NAT: the router sees the containers' own addresses.
 * <ul>
 *   <li>c1 and c2 on host1, c3 on host2; the two hosts' pool handles never hand out one address
 *       twice, even when they allocate at the same time;</li>
 *   <li>TCP c1 to c2 (same parent: macvlan bridge mode), c1 to c3 (across the LAN), c1 and c3 to
 *       the router, which sees their own LAN addresses.</li>
 * </ul>
 */
public final class S7FlatNetwork {
    static final String SUBNET = "192.168.77.0/24";
    static final String ROUTER = "192.168.77.254";
    static final String POOL = "lan";

    /** What the run found. */
    public record Result(Map<String, String> addresses, Map<String, String> kinds, String defaultGateway, boolean racingHostsNoConflict,
            Map<String, Responders.Reply> reached) {
        /** Everything the scenario set out to show holds. */
        public boolean passed() {
            return new HashSet<>(addresses.values()).size() == 3 && kinds.values().stream().allMatch("macvlan"::equals)
                    && ROUTER.equals(defaultGateway) && racingHostsNoConflict && reached.size() == 4
                    && reached.entrySet().stream().allMatch(e -> e.getValue() != null && e.getKey().endsWith("->" + e.getValue().name()))
                    && addresses.get("c1").equals(reached.get("c1->router").saw()) && addresses.get("c3").equals(reached.get("c3->router").saw());
        }
    }

    private S7FlatNetwork() {}

    public static void main(String[] args) throws IOException {
        S1Demo.run((root, real, etc, out) -> run(root, real, etc, out));
    }

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (ScratchNamespaces scratch = new ScratchNamespaces(root, "s7", etcNetns); Responders servers = new Responders()) {
            out.println("== S7: flat network, macvlan on the LAN (sandbox namespaces " + scratch.name("*") + ")");
            // the LAN: a switch, its router, two hosts plugged in by their uplink eth0
            Namespace lan = scratch.namespace("lan");
            Netlib sw = root.in(lan);
            sw.bridge("lan").up().create();
            Namespace router = plug(root, scratch, sw, "router", ROUTER);
            Namespace host1 = plug(root, scratch, sw, "host1", "192.168.77.11");
            Namespace host2 = plug(root, scratch, sw, "host2", "192.168.77.12");

            // the shared pool: the containers' part of the LAN; gateway = the LAN's router
            IpamStore store = new MemoryIpamStore();
            IpPool.builder(store, POOL).subnet(SUBNET).ipRange("192.168.77.128/25").gateway(ROUTER).create();
            IpPool pool1 = IpPool.open(store, POOL); // host1's handle
            IpPool pool2 = IpPool.open(store, POOL); // host2's handle

            Map<String, Namespace> containers = new LinkedHashMap<>();
            Map<String, String> addresses = new LinkedHashMap<>();
            Map<String, String> kinds = new LinkedHashMap<>();
            String[][] plan = {{"c1", "host1"}, {"c2", "host1"}, {"c3", "host2"}};
            for (String[] p : plan) {
                Namespace c = scratch.namespace(p[0]);
                Netlib host = root.in(p[1].equals("host1") ? host1 : host2);
                IpPool pool = p[1].equals("host1") ? pool1 : pool2;
                InetAddress ip = pool.allocate(scratch.name(p[0]));
                scratch.onClose("release " + ip.getHostAddress(), () -> pool.release(ip));
                // ip link add link eth0 name eth0 netns C type macvlan mode bridge (born in the container)
                Link eth0 = host.macvlan("eth0").parent("eth0").mode(MacvlanMode.BRIDGE).namespace(c).up().create();
                eth0.addAddress(IpAddresses.format(ip) + "/24");
                Netlib in = root.in(c);
                in.link("lo").up();
                in.routes().addDefault(IpAddresses.format(pool.gateway().orElseThrow()));
                LinkInfo info = eth0.info();
                containers.put(p[0], c);
                addresses.put(p[0], IpAddresses.format(ip));
                kinds.put(p[0], info.kind());
                out.println(p[0] + " on " + p[1] + ": " + info.displayName() + " " + info.kind() + " " + info.mac() + " "
                        + IpAddresses.format(ip) + "/24, default via " + ROUTER);
            }
            boolean noConflict = race(pool1, pool2);
            out.println("host1 and host2 allocating 2 x 20 addresses at once from pool " + POOL + ": no address handed out twice: "
                    + noConflict);
            String gateway = root.in(containers.get("c1")).routes().defaults().get(0).gateway().getHostAddress();

            Map<String, Responders.Reply> reached = new LinkedHashMap<>();
            if (realTraffic) {
                servers.tcp(router, 7000, "router");
                for (String c : containers.keySet()) {
                    servers.tcp(containers.get(c), 7000, c);
                }
                probe(out, reached, containers.get("c1"), "c1", "c2", addresses.get("c2"));
                probe(out, reached, containers.get("c1"), "c1", "c3", addresses.get("c3"));
                probe(out, reached, containers.get("c1"), "c1", "router", ROUTER);
                probe(out, reached, containers.get("c3"), "c3", "router", ROUTER);
            }
            Result r = new Result(addresses, kinds, gateway, noConflict, reached);
            out.println(realTraffic ? (r.passed() ? "S7 PASS (the router saw the containers' own LAN addresses: no NAT)" : "S7 FAIL: " + r)
                    : "S7 built (no traffic on FakeKernel)");
            return r;
        }
    }

    /** A machine on the LAN: a namespace whose eth0 is plugged into the switch, with an address. */
    private static Namespace plug(Netlib root, ScratchNamespaces scratch, Netlib sw, String name, String address) {
        Namespace ns = scratch.namespace(name);
        // ip -n LAN link add port-NAME master lan up type veth peer name eth0 netns NAME up
        sw.veth("port-" + name).master("lan").up().peer("eth0", p -> p.namespace(ns).up()).create();
        Netlib in = root.in(ns);
        in.link("lo").up();
        in.addresses().add("eth0", address + "/24");
        return ns;
    }

    private static void probe(PrintStream out, Map<String, Responders.Reply> reached, Namespace from, String fromName, String toName,
            String address) {
        Responders.Reply reply = Responders.tcpProbe(from, IpAddresses.parse(address), 7000, 1000);
        reached.put(fromName + "->" + toName, reply);
        out.println("TCP " + fromName + " -> " + toName + " (" + address + "): " + (reply == null ? "no answer" : "answered by " + reply));
    }

    /** Both hosts' pool handles allocate at once; every address must come out once only. Released afterwards. */
    private static boolean race(IpPool a, IpPool b) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<InetAddress>>> futures = new ArrayList<>();
            for (IpPool p : List.of(a, b)) {
                String owner = p == a ? "race-host1" : "race-host2";
                futures.add(pool.submit(() -> {
                    List<InetAddress> got = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        got.add(p.allocate(owner + "-" + i));
                    }
                    return got;
                }));
            }
            List<InetAddress> all = new ArrayList<>();
            for (Future<List<InetAddress>> f : futures) {
                all.addAll(f.get());
            }
            Set<InetAddress> distinct = new HashSet<>(all);
            all.forEach(a::release);
            return distinct.size() == 40;
        } catch (Exception e) {
            throw new IllegalStateException("allocation race failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
