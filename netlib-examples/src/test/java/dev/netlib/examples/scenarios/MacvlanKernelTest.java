package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S7's alternative: a macvlan network (bridge mode) on a host uplink; two containers talk over it. */
class MacvlanKernelTest {
    @TempDir
    Path etc;

    @Test
    void macvlanContainersReachEachOtherOnTheLanSubnet() {
        try (Netlib opened = KernelAccess.openOrSkip("macvlan kernel test");
             var backend = NftablesBridge.complete(opened.backend());
             Netlib root = Netlib.open(backend);
             Sandbox sandbox = new Sandbox(root, "mv", etc);
             TcpProbe servers = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Netlib host = root.in(hostNs);
            // a veth stands in for the uplink to the LAN (dummy devices are not in every kernel)
            host.veth("lan0").up().peer("lan0p", p -> p.up()).create();
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etc).open();
            networks.create("lan").driver(DriverKind.MACVLAN).parent("lan0").subnet("192.168.77.0/24").gateway("192.168.77.254").create();
            Namespace flat1 = sandbox.namespace("flat1");
            Namespace flat2 = sandbox.namespace("flat2");
            Endpoint e1 = networks.endpoint("lan", flat1).name("flat1").ip("192.168.77.10").connect();
            Endpoint e2 = networks.endpoint("lan", flat2).name("flat2").connect();
            assertThat(e2.ip()).isEqualTo("192.168.77.1");
            assertThat(root.in(flat1).findLink("eth0").orElseThrow().kind()).isEqualTo("macvlan");
            assertThat(root.in(flat1).findLink("eth0").orElseThrow().mac()).isEqualTo(e1.mac());
            servers.serve(flat2, "flat2");
            assertThat(TcpProbe.probe(flat1, e2.address(), 1000)).isEqualTo("flat2");
            assertThat(networks.resolve("flat1", "flat2")).contains(e2.address());
            e2.disconnect();
            assertThat(root.in(flat2).findLink("eth0")).isEmpty();
            assertThat(TcpProbe.probe(flat1, e2.address(), 300)).isNull();
            assertThat(networks.reconcile(false).isClean()).isTrue();
        }
    }
}
