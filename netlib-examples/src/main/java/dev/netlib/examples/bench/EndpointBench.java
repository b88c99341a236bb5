package dev.netlib.examples.bench;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.value.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Builds and tears down N container endpoints exactly as shared/bench/README.md defines them, for
 * the harness's {@code ext} method ({@code NB_EXT_SETUP} / {@code NB_EXT_TEARDOWN}):
 *
 * <ul>
 *   <li>{@code up N}: for each i, namespace NB_NS+i; veth NB_HV+i on bridge NB_BR, up, with its peer
 *       born inside the namespace as eth0; in the namespace eth0 up, lo up, 10.77.x.y/16 on eth0
 *       and the default route via NB_GW, sent together in one batch. Two netlink round trips per
 *       endpoint, as the raw-netlink floor (shared/bench/m_floor_endpoint.py) does it: one on the
 *       host socket (the create and the host end's follow-ups), one on the namespace's socket.
 *   <li>{@code down N}: one RTM_DELLINK for the device group of all host ends (their peers go with
 *       them), then the namespaces' names.
 * </ul>
 *
 * The host ends and peers get no IPv6 link-local address: with it every new endpoint would flood
 * DAD, router solicitations and MLD over the bridge, and each one would get slower as N grows.
 * The kernel takes a peer's addrgenmode only from inside its namespace and before it comes up, so
 * eth0's "addrgenmode none, up" is the first change of the namespace's batch rather than part of
 * the veth's creation (which would cost a round trip of its own in the namespace).
 * Prints one JSON line with the in-process time, separate from JVM start; {@code up} adds the mean
 * cost of the first and of the last ten endpoints, to show whether the N-th endpoint costs more than
 * the first. With {@code NETLIB_BENCH_LOG} set the line is also appended to that file (the harness
 * keeps only {@code inner_s}).
 */
public final class EndpointBench {
    /** Device group of the host ends, so teardown is one request. */
    static final int GROUP = 0x6e6c; // "nl"

    private EndpointBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: bench up|down [N]   (env: NB_N NB_BR NB_GW NB_PLEN NB_NS NB_HV, as shared/bench/harness.py sets them)");
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        int n = Integer.parseInt(args.length > 1 ? args[1] : env.getOrDefault("NB_N", "100"));
        String bridge = env.getOrDefault("NB_BR", "nbbr0");
        String gateway = env.getOrDefault("NB_GW", "10.77.0.1");
        int prefixLength = Integer.parseInt(env.getOrDefault("NB_PLEN", "16"));
        String nsPrefix = env.getOrDefault("NB_NS", "nbn");
        String hostPrefix = env.getOrDefault("NB_HV", "nbh");
        IpPrefix subnet = IpPrefix.parse(gateway + "/" + prefixLength).network();

        try (Netlib host = Netlib.open()) {
            long t0 = System.nanoTime();
            long[] perEndpoint = new long[n];
            switch (args[0]) {
                case "up" -> up(host, n, bridge, gateway, subnet, nsPrefix, hostPrefix, perEndpoint);
                case "down" -> down(host, n, nsPrefix);
                default -> {
                    System.err.println("unknown command " + args[0] + "; use up or down");
                    System.exit(2);
                }
            }
            double inner = (System.nanoTime() - t0) / 1e9;
            String line = "{\"phase\": \"" + args[0] + "\", \"inner_s\": " + Fixed.of(inner, 4) + ", \"n\": " + n
                    + ", \"ms_per_ep\": " + Fixed.of(inner * 1000 / n, 3) + (args[0].equals("up") ? firstAndLast(perEndpoint) : "") + "}";
            System.out.println(line);
            String log = env.get("NETLIB_BENCH_LOG");
            if (log != null && !log.isEmpty()) {
                appendLine(Path.of(log), line);
            }
        }
    }

    /** Mean ms of the first ten and of the last ten endpoints (fewer when N is small). */
    static String firstAndLast(long[] nanos) {
        int k = Math.max(1, Math.min(10, nanos.length / 2));
        double first = 0;
        double last = 0;
        for (int i = 0; i < k; i++) {
            first += nanos[i];
            last += nanos[nanos.length - 1 - i];
        }
        return ", \"first_ms\": " + Fixed.of(first / k / 1e6, 3) + ", \"last_ms\": " + Fixed.of(last / k / 1e6, 3);
    }

    private static void appendLine(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void up(Netlib host, int n, String bridge, String gateway, IpPrefix subnet, String nsPrefix, String hostPrefix,
            long[] perEndpoint) {
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            // .2 onwards: .1 is the gateway on the bridge
            String address = IpPrefix.of(subnet.nth(i + 2), subnet.length()).toString();
            try (Namespace owned = host.namespaces().create(nsPrefix + i); Namespace ns = owned.detach()) {
                host.veth(hostPrefix + i).master(bridge).group(GROUP).ipv6LinkLocal(false).up()
                        .peer("eth0", p -> p.namespace(ns))
                        .create();
                host.in(ns).batch().linkUp("eth0", Ipv6AddrGenMode.NONE).linkUp("lo").addAddress("eth0", address)
                        .addDefaultRoute(gateway).apply();
            }
            perEndpoint[i] = System.nanoTime() - start;
        }
    }

    static void down(Netlib host, int n, String nsPrefix) {
        try {
            host.deleteLinkGroup(GROUP);
        } catch (NotFoundException e) {
            // no host end left (a setup that failed early): the namespaces still go
        }
        for (int i = 0; i < n; i++) {
            try {
                host.namespaces().delete(nsPrefix + i);
            } catch (NotFoundException e) {
                // not created: nothing to remove
            }
        }
    }
}
