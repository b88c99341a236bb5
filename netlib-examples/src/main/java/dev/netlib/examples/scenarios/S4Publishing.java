package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.value.IpAddresses;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * Scenario S4, publishing and reaching out: a host namespace with an uplink (10.99.0.1) to an
 * "outside" namespace (10.99.0.2, no route to the containers); box1 on the default network
 * publishes {@code 8080 -> 7000}. Connections to 10.99.0.1:8080 from outside and from the host
 * itself reach box1; box1 reaches the outside through masquerade; the mapping goes with the
 * endpoint.
 */
public final class S4Publishing {
    /** What the run found (replies are the servers' names, null when unreachable). */
    public record Result(String fromOutside, String fromHost, String outbound, String afterDisconnect, String ipForward) {}

    private S4Publishing() {}

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (Sandbox sandbox = new Sandbox(root, "s4", etcNetns); TcpProbe servers = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Namespace outside = sandbox.namespace("outside");
            Namespace box1 = sandbox.namespace("box1");
            Netlib host = root.in(hostNs);
            host.link("lo").up();
            root.in(outside).link("lo").up();
            host.veth("uplink0").up().peer("eth0", p -> p.namespace(outside).up()).create();
            host.addresses().add("uplink0", "10.99.0.1/24");
            root.in(outside).addresses().add("eth0", "10.99.0.2/24");
            out.println("== S4: publishing and masquerade (sandbox namespaces " + sandbox.name("*") + ")");

            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).open();
            Endpoint e = networks.endpoint("bridge", box1).name("box1").publish("8080:" + TcpProbe.PORT).connect();
            String forward = host.sysctls().get("net.ipv4.ip_forward");
            out.println("box1 " + e.ip() + " publishes " + e.ports() + "; net.ipv4.ip_forward=" + forward + " in the host namespace");
            host.nat().list().forEach(r -> out.println("  rule: " + r));
            if (!realTraffic) {
                e.disconnect();
                return new Result(null, null, null, null, forward);
            }
            servers.serve(box1, "box1");
            servers.serve(outside, "outside");
            InetAddress hostAddress = IpAddresses.parse("10.99.0.1");
            String fromOutside = TcpProbe.probe(outside, hostAddress, 8080, 1000);
            String fromHost = TcpProbe.probe(hostNs, hostAddress, 8080, 1000);
            String outbound = TcpProbe.probe(box1, IpAddresses.parse("10.99.0.2"), 1000);
            out.println("outside -> 10.99.0.1:8080 answered by " + fromOutside);
            out.println("host    -> 10.99.0.1:8080 answered by " + fromHost);
            out.println("box1    -> 10.99.0.2:" + TcpProbe.PORT + " (outside has no route back to 172.17/16: masquerade) answered by " + outbound);
            e.disconnect();
            String after = TcpProbe.probe(outside, hostAddress, 8080, 500);
            out.println("after disconnect, outside -> 10.99.0.1:8080: " + (after == null ? "no answer" : after));
            return new Result(fromOutside, fromHost, outbound, after, forward);
        }
    }
}
