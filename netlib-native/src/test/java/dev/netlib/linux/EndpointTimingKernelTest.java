package dev.netlib.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.netns.NlnSupport;
import dev.netlib.model.RouteInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Docker-style endpoints through the public API on the real kernel, timed: a bridge in a "host"
 * namespace; per endpoint an anonymous namespace with IPv6 off, a veth whose peer is born inside
 * as eth0, lo up, an address and a default route via the bridge. Teardown deletes the namespaces
 * (the kernel removes their veths in batches). {@code -Dnln.endpoints=500} for the full
 * measurement; 50 by default. Needs root.
 */
class EndpointTimingKernelTest {
    @Test
    void setUpAndTearDownEndpoints() throws Exception {
        NlnSupport.assumeRoot();
        int count = Integer.getInteger("nln.endpoints", 50);
        try (Netlib netlib = Netlib.open();
                Namespace hostNs = netlib.namespaces().create(NlnSupport.uniqueName("ephost"))) {
            Netlib host = netlib.in(hostNs);
            host.sysctls().set("net.ipv6.conf.default.disable_ipv6", "1");
            host.bridge("br0").up().create();
            host.addresses().add("br0", "10.200.0.1/16");
            List<Namespace> containers = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                long[] phase = new long[4];
                for (int i = 0; i < count; i++) {
                    long p0 = System.nanoTime();
                    Namespace c = netlib.namespaces().createAnonymous();
                    containers.add(c);
                    Netlib in = netlib.in(c);
                    long p1 = System.nanoTime();
                    in.sysctls().set("net.ipv6.conf.default.disable_ipv6", "1");
                    long p2 = System.nanoTime();
                    host.veth("h" + i).master("br0").up().peer("eth0", p -> p.namespace(c).up()).create();
                    long p3 = System.nanoTime();
                    in.batch().linkUp("lo")
                            .addAddress("eth0", "10.200." + (1 + i / 250) + "." + (1 + i % 250) + "/16")
                            .addDefaultRoute("10.200.0.1").apply();
                    long p4 = System.nanoTime();
                    phase[0] += p1 - p0;
                    phase[1] += p2 - p1;
                    phase[2] += p3 - p2;
                    phase[3] += p4 - p3;
                }
                long setup = System.nanoTime() - t0;
                System.out.printf("endpoint phases, us each: namespace %d, sysctl %d, veth %d, lo+address+route %d%n",
                        phase[0] / 1000 / count, phase[1] / 1000 / count, phase[2] / 1000 / count, phase[3] / 1000 / count);
                Netlib last = netlib.in(containers.get(count - 1));
                assertThat(last.routes().defaults()).extracting(RouteInfo::device).containsExactly("eth0");
                assertThat(host.links()).hasSize(count + 2);

                long t1 = System.nanoTime();
                for (Namespace c : containers) {
                    c.close();
                }
                containers.clear();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (host.links().size() > 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long teardown = System.nanoTime() - t1;
                assertThat(host.links()).hasSize(2);
                System.out.printf("endpoints: %d set up in %d ms (%d us each), torn down in %d ms (namespace deletes until the"
                        + " host ends are gone)%n", count, setup / 1_000_000, setup / 1000 / count, teardown / 1_000_000);
            } finally {
                for (Namespace c : containers) {
                    c.close();
                }
            }
        }
    }
}
