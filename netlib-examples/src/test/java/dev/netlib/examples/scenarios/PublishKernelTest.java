package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.value.IpAddresses;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing and reaching out through the network layer on the real kernel: a host namespace with
 * an uplink to an "outside" namespace; box1 on the default network publishes 8080 -> 7000.
 */
class PublishKernelTest {
    @TempDir
    Path etc;

    @Test
    void publishedPortReachableFromOutsideAndFromTheHostAndRemovedWithTheEndpoint() {
        try (Netlib opened = KernelAccess.openOrSkip("publish kernel test");
             var backend = NftablesBridge.complete(opened.backend());
             Netlib root = Netlib.open(backend);
             Sandbox sandbox = new Sandbox(root, "pub", etc);
             TcpProbe servers = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Namespace outside = sandbox.namespace("outside");
            Namespace box1 = sandbox.namespace("box1");
            Netlib host = root.in(hostNs);
            host.link("lo").up();
            root.in(outside).link("lo").up();
            // the host's uplink: 10.99.0.1 here, 10.99.0.2 outside; outside has no route to 172.17.0.0/16
            host.veth("uplink0").up().peer("eth0", p -> p.namespace(outside).up()).create();
            host.addresses().add("uplink0", "10.99.0.1/24");
            root.in(outside).addresses().add("eth0", "10.99.0.2/24");

            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etc).open();
            Endpoint e = networks.endpoint("bridge", box1).name("box1").publish("8080:" + TcpProbe.PORT).connect();
            servers.serve(box1, "box1");
            servers.serve(outside, "outside");

            var hostAddress = IpAddresses.parse("10.99.0.1");
            assertThat(TcpProbe.probe(outside, hostAddress, 8080, 1000)).as("from another host").isEqualTo("box1");
            assertThat(TcpProbe.probe(hostNs, hostAddress, 8080, 1000)).as("from the host itself").isEqualTo("box1");
            // out through masquerade: outside could not answer 172.17.0.2, it answers the host's address
            assertThat(TcpProbe.probe(box1, IpAddresses.parse("10.99.0.2"), 1000)).as("box1 reaching out").isEqualTo("outside");

            e.disconnect();
            assertThat(TcpProbe.probe(outside, hostAddress, 8080, 500)).as("after disconnect").isNull();
            assertThat(host.nat().list()).noneMatch(r -> r.toString().contains("8080"));
        }
    }
}
