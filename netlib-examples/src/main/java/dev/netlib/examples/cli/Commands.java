package dev.netlib.examples.cli;

import dev.netlib.examples.QuickStart;
import dev.netlib.examples.scenarios.S1Demo;
import dev.netlib.examples.scenarios.S2Modes;
import dev.netlib.examples.scenarios.S3ManualWay;
import dev.netlib.examples.scenarios.S4Publishing;
import dev.netlib.examples.scenarios.S6Inspect;
import dev.netlib.examples.scenarios.S7FlatNetwork;
import dev.netlib.examples.scenarios.S7Macvlan;
import java.util.List;

/**
 * Every command of the examples jar, one line each, in the order {@code --help} lists them. Adding
 * a command is adding a line: {@link Command#scenario} for a program that takes no arguments,
 * {@link Command#passThrough} for one that parses its own, or {@link Command#of} for a picocli
 * {@code @Command} class with typed parameters (see {@link BenchCommands}).
 */
public final class Commands {
    private Commands() {}

    /** The registry. */
    public static final List<Command> ALL = List.of(
            Command.scenario("demo", "scenario S1: bridge networks box1..box6, reachability before and after two connects "
                    + "(root: real kernel in sandbox namespaces; otherwise FakeKernel, printing the commands)", S1Demo::main),
            Command.scenario("s1", "the same as demo", S1Demo::main),
            Command.scenario("s2", "scenario S2: the none, host and container:OTHER modes (same fallback)",
                    args -> S1Demo.run((root, real, etc, out) -> S2Modes.run(root, real, etc, out))),
            Command.scenario("s3", "scenario S3: the manual way (bridge, veth, eth0, route, resolv.conf, eth1 by pid)",
                    S3ManualWay::main),
            Command.scenario("s4", "scenario S4: -p 8080:80 tcp/udp and a port range, from outside, the host, hairpin; "
                    + "masquerade", S4Publishing::main),
            Command.scenario("s5", "scenario S5: overlay across three hosts on etcd (VXLAN, names, eth1 out, a host leaving)",
                    dev.netlib.examples.scenarios.S5Overlay::main),
            Command.scenario("s6", "scenario S6: inspect links (eth0@ifN), a namespace from a pid, bridge ports, a network",
                    S6Inspect::main),
            Command.scenario("s7", "scenario S7: flat network, macvlan containers on a LAN from a shared pool, via its router",
                    S7FlatNetwork::main),
            Command.scenario("s7-macvlan", "scenario S7 through the network layer's macvlan driver",
                    args -> S1Demo.run((root, real, etc, out) -> S7Macvlan.run(root, real, etc, out))),
            Command.scenario("quickstart", "the README's quick start (root)", QuickStart::main),
            Command.of(new BenchCommands.Bench()),
            Command.of(new BenchCommands.NftBench()),
            Command.of(new BenchCommands.IpamBench()),
            Command.passThrough("nft-conn-bench", "new TCP connections per second through DNAT with 1 and N published "
                    + "ports: nft-conn-bench [N=1000] [SECONDS] [REPS]", dev.netlib.examples.bench.NftConnBench::main),
            Command.passThrough("cluster-bench", "H simulated hosts x C containers on one overlay network over a real etcd: "
                    + "convergence, store cost, churn, chaos (cluster-bench --help)",
                    dev.netlib.examples.bench.cluster.ClusterBench::main));
}
