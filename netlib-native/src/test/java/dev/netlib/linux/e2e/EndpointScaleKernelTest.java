package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measurement (opt-in): sets up and tears down N container endpoints in-process, the way
 * netlib-examples' {@code bench/EndpointBench} does, inside a throwaway "host" namespace instead of
 * the machine's own. An endpoint is a named namespace, a veth on the host's bridge (device group,
 * no IPv6 link-local) whose peer is born inside the namespace as eth0, up; then lo up, an address
 * on eth0 and the default route via the bridge, in one batch. Teardown is one RTM_DELLINK for the
 * device group of all host ends (their peers go with them), then the namespaces' names.
 *
 * <p>Runs only with {@code -Dnlk.perf=true} (N from {@code -Dnlk.perf.n}, default 500):
 * {@code mvn -B -o -pl netlib-native -am test -Dtest=EndpointScaleKernelTest -Dnlk.perf=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints one line with ms/endpoint for setup (also the mean of the first and last ten) and
 * teardown. Checks the result too: every endpoint exists, and the first and last reach each other.
 */
@Tag("perf")
class EndpointScaleKernelTest {
    private static final int GROUP = 0x6e6b; // "nk"

    private final TestNamespaces namespaces = new TestNamespaces();

    @AfterEach
    void noNamespaceLeft() {
        assertThat(namespaces.cleanUp()).as("test namespaces left after teardown").isEmpty();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    @Test
    void setUpAndTearDownEndpoints() throws Exception {
        if (!Boolean.getBoolean("nlk.perf")) {
            E2e.skip("measurement: run with -Dnlk.perf=true (and -Dnlk.perf.n=N, default 500)");
        }
        int n = Integer.getInteger("nlk.perf.n", 500);
        // -Dnlk.perf.quietPeer=false: the peer keeps its IPv6 link-local address (no follow-up request inside)
        boolean quietPeer = !"false".equals(System.getProperty("nlk.perf.quietPeer"));
        String runId = E2e.name("pf");
        IpPrefix subnet = IpPrefix.parse("10.77.0.0/16");
        String gateway = "10.77.0.1";
        try (Netlib netlib = E2e.openOrSkip(); Namespace hostNs = namespaces.create(netlib, "pfhost")) {
            Netlib host = netlib.in(hostNs);
            host.link("lo").up();
            host.bridge("br0").ipv6LinkLocal(false).up().create().addAddress(gateway + "/16");

            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(namespaces.track(runId + "-" + i));
            }
            long[] perEndpoint = new long[n];
            long[] phases = new long[3]; // namespace, veth, batch inside
            boolean tornDown = false;
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long start = System.nanoTime();
                    String address = IpAddresses.format(subnet.nth(i + 2)) + "/16";
                    try (Namespace owned = netlib.namespaces().create(names.get(i)); Namespace ns = owned.detach()) {
                        long created = System.nanoTime();
                        host.veth("h" + i).master("br0").group(GROUP).ipv6LinkLocal(false).up()
                                .peer("eth0", p -> {
                                    p.namespace(ns).up();
                                    if (quietPeer) {
                                        p.ipv6LinkLocal(false);
                                    }
                                })
                                .create();
                        long veth = System.nanoTime();
                        netlib.in(ns).batch().linkUp("lo").addAddress("eth0", address).addDefaultRoute(gateway).apply();
                        long batch = System.nanoTime();
                        phases[0] += created - start;
                        phases[1] += veth - created;
                        phases[2] += batch - veth;
                    }
                    perEndpoint[i] = System.nanoTime() - start;
                }
                long setupNs = System.nanoTime() - t0;

                // the result is right, not just fast
                assertThat(host.links()).hasSize(n + 2);
                assertThat(netlib.namespaces().list()).containsAll(names);
                try (Namespace first = netlib.namespaces().open(names.get(0)); Namespace last = netlib.namespaces().open(names.get(n - 1))) {
                    TcpExchange.exchangeAndCheck(last, IpAddresses.format(subnet.nth(n + 1)), first, IpAddresses.format(subnet.nth(2)), 4096);
                }

                long t1 = System.nanoTime();
                host.deleteLinkGroup(GROUP);
                for (String name : names) {
                    netlib.namespaces().delete(name);
                }
                long teardownNs = System.nanoTime() - t1;
                tornDown = true;

                int k = Math.max(1, Math.min(10, n / 2));
                double first = 0;
                double last = 0;
                for (int i = 0; i < k; i++) {
                    first += perEndpoint[i];
                    last += perEndpoint[n - 1 - i];
                }
                String line = String.format(Locale.ROOT,
                        "endpoints: n=%d setup %.3f s = %.3f ms/endpoint (first %d: %.3f ms, last %d: %.3f ms); teardown %.3f s = %.3f ms/endpoint",
                        n, setupNs / 1e9, setupNs / 1e6 / n, k, first / k / 1e6, k, last / k / 1e6, teardownNs / 1e9, teardownNs / 1e6 / n);
                System.out.println(line);
                System.out.println(String.format(Locale.ROOT,
                        "endpoints: setup phases per endpoint: namespace %.3f ms, veth %.3f ms, lo/address/route batch %.3f ms (peer addrgenmode none: %s; load average %s)",
                        phases[0] / 1e6 / n, phases[1] / 1e6 / n, phases[2] / 1e6 / n, quietPeer, loadAverage()));
                assertThat(host.links()).extracting(l -> l.name()).containsExactlyInAnyOrder("lo", "br0");
                assertThat(netlib.namespaces().list()).doesNotContainAnyElementsOf(names);
            } finally {
                if (!tornDown) {
                    try {
                        host.deleteLinkGroup(GROUP);
                    } catch (RuntimeException e) {
                        System.out.println("cleanup: " + e);
                    }
                    for (String name : names) {
                        try {
                            netlib.namespaces().delete(name);
                        } catch (RuntimeException e) {
                            // not created, or already gone
                        }
                    }
                }
            }
        }
    }
}
