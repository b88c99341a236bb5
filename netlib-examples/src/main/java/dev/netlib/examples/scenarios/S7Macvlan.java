package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Scenario S7's macvlan variant, a flat network: containers on the LAN's own subnet
 * (192.168.77.0/24, gateway = the LAN's router .254) as macvlans in bridge mode on the host's
 * uplink; no bridge, no NAT. A veth stands in for the uplink (dummy devices are not in every kernel).
 */
public final class S7Macvlan {
    /** What the run found. */
    public record Result(String flat1, String flat2, String kind, String reply, String afterDisconnect) {}

    private S7Macvlan() {}

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (Sandbox sandbox = new Sandbox(root, "s7", etcNetns); TcpProbe servers = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Netlib host = root.in(hostNs);
            host.veth("lan0").up().peer("lan0p", p -> p.up()).create();
            out.println("== S7: a flat macvlan network on the LAN's subnet (sandbox namespaces " + sandbox.name("*") + ")");
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).open();
            networks.create("lan").driver(DriverKind.MACVLAN).parent("lan0").subnet("192.168.77.0/24").gateway("192.168.77.254").create();
            Namespace flat1 = sandbox.namespace("flat1");
            Namespace flat2 = sandbox.namespace("flat2");
            Endpoint e1 = networks.endpoint("lan", flat1).name("flat1").ip("192.168.77.10").connect();
            Endpoint e2 = networks.endpoint("lan", flat2).name("flat2").connect();
            String kind = root.in(flat1).findLink("eth0").orElseThrow().kind();
            out.println(e1 + " (" + kind + ")");
            out.println(e2);
            String reply = null;
            String after = null;
            if (realTraffic) {
                servers.serve(flat2, "flat2");
                reply = TcpProbe.probe(flat1, e2.address(), 1000);
                out.println("flat1 -> flat2 over the LAN: answered by " + reply);
            }
            e2.disconnect();
            if (realTraffic) {
                after = TcpProbe.probe(flat1, e2.address(), 300);
                out.println("after disconnect: " + (after == null ? "no answer" : after));
            }
            networks.deleteContainer("flat1", flat1);
            networks.remove("lan");
            return new Result(e1.ip(), e2.ip(), kind, reply, after);
        }
    }
}
