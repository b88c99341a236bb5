package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.examples.scenarios.Responders.Reply;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.nat.NatRule;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Scenario S4, publishing and reaching out, inside sandbox namespaces: a Docker host ("host")
 * whose uplink 10.99.0.1/24 leads to another host ("outside", 10.99.0.2, with no route to the
 * containers' subnet); box1 on the default network publishes {@code -p 8080:80}, {@code -p
 * 8080:80/udp} and the range {@code -p 9000-9001:9000-9001}; box2 sits on the same bridge.
 * <ul>
 *   <li>outside reaches box1 through host:8080 over TCP and UDP, and host:9000 and :9001;</li>
 *   <li>the host reaches host:8080 itself (locally generated traffic, DNAT in the output hook);</li>
 *   <li>box2 reaches box1 through host:8080, and so does box1 itself (hairpin: in and out of the
 *       same bridge, masqueraded to the bridge's address so the reply goes back through the host);</li>
 *   <li>box1 reaches a server outside, which sees the host's address 10.99.0.1 (masquerade);</li>
 *   <li>net.ipv4.ip_forward is 1 in the host namespace (set by netlib, which says so in its log);</li>
 *   <li>after the endpoint is disconnected, host:8080 answers no more and its rules are gone.</li>
 * </ul>
 * No proxy process: the kernel's nf_tables DNAT does it all.
 */
public final class S4Publishing {
    static final String HOST = "10.99.0.1";
    static final String OUTSIDE = "10.99.0.2";
    /** The default bridge network's gateway: what box1 sees of a hairpin connection. */
    static final String GATEWAY = "172.17.0.1";

    /** What the run found (replies are null where nothing answered). */
    public record Result(String box1Ip, List<String> published, List<String> natRules, String ipForward, Reply outsideTcp,
            Reply outsideUdp, Reply outsideRange9000, Reply outsideRange9001, Reply fromHost, Reply hairpinFromBox2,
            Reply hairpinFromBox1, Reply outsideSawBox1, Reply afterDisconnect, boolean rulesGoneAfterDisconnect) {
        /** Everything the scenario set out to show holds. */
        public boolean passed() {
            return is(outsideTcp, "box1") && is(outsideUdp, "box1") && is(outsideRange9000, "box1-9000")
                    && is(outsideRange9001, "box1-9001") && is(fromHost, "box1") && is(hairpinFromBox2, "box1")
                    && is(hairpinFromBox1, "box1") && GATEWAY.equals(hairpinFromBox2.saw()) && GATEWAY.equals(hairpinFromBox1.saw())
                    && outsideSawBox1 != null && HOST.equals(outsideSawBox1.saw()) && "1".equals(ipForward)
                    && afterDisconnect == null && rulesGoneAfterDisconnect;
        }

        private static boolean is(Reply r, String name) {
            return r != null && name.equals(r.name());
        }
    }

    private S4Publishing() {}

    public static void main(String[] args) throws IOException {
        S1Demo.run((root, real, etc, out) -> run(root, real, etc, out));
    }

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (ScratchNamespaces scratch = new ScratchNamespaces(root, "s4", etcNetns); Responders servers = new Responders()) {
            out.println("== S4: publishing and reaching out (sandbox namespaces " + scratch.name("*") + ")");
            Namespace hostNs = scratch.namespace("host");
            Namespace outside = scratch.namespace("outside");
            Namespace box1 = scratch.namespace("box1");
            Namespace box2 = scratch.namespace("box2");
            Netlib host = root.in(hostNs);
            host.link("lo").up();
            root.in(outside).link("lo").up();
            // the host's uplink to the other host; outside knows nothing of 172.17.0.0/16
            host.veth("uplink0").up().peer("eth0", p -> p.namespace(outside).up()).create();
            host.addresses().add("uplink0", HOST + "/24");
            root.in(outside).addresses().add("eth0", OUTSIDE + "/24");

            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).open();
            Endpoint e1 = networks.endpoint("bridge", box1).name("box1")
                    .publish("8080:80").publish("8080:80/udp").publish("9000-9001:9000-9001").connect();
            Endpoint e2 = networks.endpoint("bridge", box2).name("box2").connect();
            String forward = host.sysctls().get("net.ipv4.ip_forward").strip();
            List<String> rules = host.nat().list().stream().map(NatRule::toString).toList();
            out.println("box1 " + e1.ip() + " publishes " + e1.ports() + "; box2 " + e2.ip() + "; host net.ipv4.ip_forward=" + forward);
            out.println("netlib's nat rules in the host:");
            rules.forEach(r -> out.println("  " + r));
            if (!realTraffic) {
                out.println("S4 built (no traffic on FakeKernel)");
                return new Result(e1.ip(), e1.ports(), rules, forward, null, null, null, null, null, null, null, null, null, false);
            }

            servers.tcp(box1, 80, "box1");
            servers.udp(box1, 80, "box1");
            servers.tcp(box1, 9000, "box1-9000");
            servers.tcp(box1, 9001, "box1-9001");
            servers.tcp(outside, 7000, "outside");
            InetAddress hostAddress = IpAddresses.parse(HOST);
            Reply tcp = show(out, "outside -> host:8080/tcp", Responders.tcpProbe(outside, hostAddress, 8080, 1000));
            Reply udp = show(out, "outside -> host:8080/udp", Responders.udpProbe(outside, hostAddress, 8080, 500));
            Reply r9000 = show(out, "outside -> host:9000/tcp", Responders.tcpProbe(outside, hostAddress, 9000, 1000));
            Reply r9001 = show(out, "outside -> host:9001/tcp", Responders.tcpProbe(outside, hostAddress, 9001, 1000));
            Reply local = show(out, "host itself -> host:8080/tcp", Responders.tcpProbe(hostNs, hostAddress, 8080, 1000));
            Reply hairpin = show(out, "box2 -> host:8080/tcp (hairpin)", Responders.tcpProbe(box2, hostAddress, 8080, 1000));
            Reply ownPort = show(out, "box1 -> host:8080/tcp (its own port)", Responders.tcpProbe(box1, hostAddress, 8080, 1000));
            Reply masq = show(out, "box1 -> outside:7000/tcp", Responders.tcpProbe(box1, IpAddresses.parse(OUTSIDE), 7000, 1000));

            e1.disconnect();
            Reply after = show(out, "after disconnect: outside -> host:8080/tcp", Responders.tcpProbe(outside, hostAddress, 8080, 300));
            boolean gone = host.nat().list().stream().map(NatRule::toString).noneMatch(r -> r.contains("8080") || r.contains("9000"));
            out.println("published rules removed with the endpoint: " + gone);
            Result r = new Result(e1.ip(), e1.ports(), rules, forward, tcp, udp, r9000, r9001, local, hairpin, ownPort, masq, after, gone);
            out.println(r.passed() ? "S4 PASS (the server outside saw " + masq.saw() + ", the host's address, not " + e1.ip() + ")"
                    : "S4 FAIL: " + r);
            return r;
        }
    }

    private static Reply show(PrintStream out, String what, Reply reply) {
        out.println(what + ": " + Objects.requireNonNullElse(reply == null ? null : "answered by " + reply, "no answer"));
        return reply;
    }
}
