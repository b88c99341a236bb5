package dev.netlib.examples;

import dev.netlib.examples.bench.EndpointBench;
import dev.netlib.examples.scenarios.S1Demo;
import dev.netlib.examples.scenarios.S2Modes;
import dev.netlib.examples.scenarios.S3ManualWay;
import dev.netlib.examples.scenarios.S4Publishing;
import dev.netlib.examples.scenarios.S6Inspect;
import dev.netlib.examples.scenarios.S7FlatNetwork;
import dev.netlib.examples.scenarios.S7Macvlan;
import dev.netlib.examples.bench.NftBench;
import dev.netlib.examples.bench.IpamBench;
import java.util.Arrays;

/** Entry point of the examples jar: {@code java -jar netlib-examples.jar COMMAND [ARGS]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "demo" -> S1Demo.main(rest);
            case "s2" -> S1Demo.run((root, real, etc, out) -> S2Modes.run(root, real, etc, out));
            case "s3" -> S3ManualWay.main(rest);
            case "s4" -> S4Publishing.main(rest);
            case "s5" -> dev.netlib.examples.scenarios.S5Overlay.main(rest);
            case "s6" -> S6Inspect.main(rest);
            case "s7" -> S7FlatNetwork.main(rest);
            case "s7-macvlan" -> S1Demo.run((root, real, etc, out) -> S7Macvlan.run(root, real, etc, out));
            case "quickstart" -> QuickStart.main(rest);
            case "bench" -> EndpointBench.main(rest);
            case "nft-bench" -> NftBench.main(rest);
            case "ipam-bench" -> IpamBench.main(rest);
            case "cluster-bench" -> dev.netlib.examples.bench.cluster.ClusterBench.main(rest);
            default -> {
                System.err.println("""
                        usage: java -jar netlib-examples.jar COMMAND
                          demo            scenario S1: bridge networks box1..box6, reachability before and after two
                                          connects (root: real kernel in sandbox namespaces; otherwise FakeKernel)
                          s2              scenario S2: the none, host and container:OTHER modes (same fallback)
                          s3              scenario S3: the manual way (bridge, veth, eth0, route, resolv.conf, eth1 by pid)
                          s4              scenario S4: -p 8080:80 tcp/udp and a port range, from outside, the host, hairpin; masquerade
                          s5              scenario S5: overlay across three hosts on etcd (VXLAN, names, eth1 out, a host leaving)
                          s6              scenario S6: inspect links (eth0@ifN), a namespace from a pid, bridge ports, a network
                          s7              scenario S7: flat network, macvlan containers on a LAN from a shared pool, via its router
                          s7-macvlan      scenario S7 through the network layer's macvlan driver
                          quickstart      the README's quick start
                          bench up N      set up N benchmark endpoints (shared/bench harness, method ext)
                          bench down N    tear them down
                          nft-bench [N]   N DNAT port mappings in one nf_tables batch, and single add/remove latency (root)
                          ipam-bench [N]  IP allocations/releases per second: memory, file, etcd stores, CNI host-local
                          cluster-bench   H simulated hosts x C containers on one overlay network over a real etcd:
                                          convergence, full-mesh TCP, store cost, churn, chaos (root; --help)
                        """);
                System.exit(2);
            }
        }
    }
}
