package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.network.Networks;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Scenario S6, inspecting: a network with two containers, then the links of a container with kind,
 * index, MTU, MAC, state, master and, for a veth, its peer's index and namespace id (what
 * {@code eth0@if7} shows); the bridge's ports ({@code brctl show}); and {@code docker network inspect}.
 */
public final class S6Inspect {
    /** What the run found. */
    public record Result(List<LinkInfo> box1Links, List<String> bridgePorts, List<String> endpointHostEnds, String inspect) {}

    private S6Inspect() {}

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (Sandbox sandbox = new Sandbox(root, "s6", etcNetns)) {
            Namespace hostNs = sandbox.namespace("host");
            Netlib host = root.in(hostNs);
            out.println("== S6: inspect (sandbox namespaces " + sandbox.name("*") + ")");
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).open();
            var net = networks.create("web").subnet("10.66.0.0/24").create();
            Namespace box1 = sandbox.namespace("box1");
            Namespace box2 = sandbox.namespace("box2");
            networks.endpoint("web", box1).name("box1").alias("www").connect();
            networks.endpoint("web", box2).name("box2").connect();

            List<LinkInfo> links = root.in(box1).links();
            out.println("ip -d link show (in box1):");
            out.println(String.format("  %-5s %-14s %-8s %-6s %-17s %-15s %-8s %s", "index", "name", "kind", "mtu", "mac", "state", "master", "peer netns id"));
            for (LinkInfo l : links) {
                out.println(String.format("  %-5d %-14s %-8s %-6d %-17s %-15s %-8s %s", l.index(), l.displayName(), l.kind() == null ? "-" : l.kind(),
                        l.mtu(), l.mac(), l.operState() + (l.adminUp() ? ",UP" : ""), l.master().orElse("-"),
                        l.isVeth() ? Integer.toString(l.linkNetnsId()) : "-"));
            }
            String bridge = net.config().device();
            List<String> ports = host.links().stream().filter(l -> bridge.equals(l.masterName())).map(LinkInfo::name).sorted().toList();
            out.println("brctl show " + bridge + ": interfaces " + ports);
            List<String> hostEnds = networks.endpoints("web").stream().map(e -> e.config().hostIfName()).sorted().toList();
            String inspect = net.inspect().render();
            out.println("docker network inspect web:\n" + inspect);
            return new Result(links, ports, hostEnds, inspect);
        }
    }
}
