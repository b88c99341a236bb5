package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.network.Networks;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Scenario S2, Docker's network modes, inside sandbox namespaces:
 * <ul>
 *   <li>none: a namespace with only {@code lo}, up;</li>
 *   <li>host: the host's own namespace, nothing created;</li>
 *   <li>container:box1: joining box1's namespace by container name and by /var/run/netns name; the
 *       joiner sees box1's interfaces and reaches box1's server over 127.0.0.1.</li>
 * </ul>
 */
public final class S2Modes {
    /** What the run found. */
    public record Result(List<String> noneLinks, boolean noneLoUp, boolean hostIsHost, boolean joinedByName, boolean joinedByNetns,
            List<String> joinedLinks, String loopbackReply) {}

    private S2Modes() {}

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (Sandbox sandbox = new Sandbox(root, "s2", etcNetns); TcpProbe probe = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Netlib host = root.in(hostNs);
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).open();
            out.println("== S2: network modes (sandbox namespaces " + sandbox.name("*") + ")");

            List<String> noneLinks;
            boolean loUp;
            try (Namespace none = networks.none(sandbox.name("none"))) {
                List<LinkInfo> links = root.in(none).links();
                noneLinks = links.stream().map(LinkInfo::name).toList();
                loUp = links.stream().anyMatch(l -> l.name().equals("lo") && l.adminUp());
                out.println("none: links " + noneLinks + ", lo up: " + loUp);
            }

            boolean hostIsHost = networks.hostMode().inode() == hostNs.inode();
            out.println("host: the host namespace itself (inode " + networks.hostMode().inode() + "): " + hostIsHost);

            Namespace box1 = sandbox.namespace("box1");
            networks.endpoint("bridge", box1).name("box1").connect();
            if (realTraffic) {
                probe.serve(box1, "box1");
            }
            boolean byName;
            boolean byNetns;
            List<String> joinedLinks;
            String reply = null;
            try (Namespace joined = networks.container("container:box1");
                 Namespace joined2 = networks.container(sandbox.name("box1"))) {
                byName = joined.inode() == box1.inode();
                byNetns = joined2.inode() == box1.inode();
                joinedLinks = root.in(joined).links().stream().map(LinkInfo::name).toList();
                out.println("container:box1 by container name: same namespace " + byName + ", by netns name: " + byNetns
                        + "; the joiner sees " + joinedLinks);
                if (realTraffic) {
                    reply = TcpProbe.probe(joined, InetAddress.getLoopbackAddress(), 1000);
                    out.println("joiner -> 127.0.0.1:" + TcpProbe.PORT + ": the server answered " + reply);
                }
            }
            networks.deleteContainer("box1", box1);
            networks.network("bridge").remove();
            return new Result(noneLinks, loUp, hostIsHost, byName, byNetns, joinedLinks, reply);
        }
    }
}
