package dev.netlib.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.netns.NlnSupport;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.OperState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A veth whose peer is born inside a container namespace with no IPv6 link-local address (what
 * EndpointBench and the network layer do so no DAD/RS/MLD traffic floods the bridge): the kernel
 * takes addrgenmode only from inside the peer's namespace and only before the link comes up, so
 * LinuxBackend creates the peer down and sends "addrgenmode none, up" there. Needs root.
 */
class PeerAddrGenModeKernelTest {
    @Test
    void peerBornElsewhereComesUpWithoutALinkLocalAddress() {
        NlnSupport.assumeRoot();
        String hostName = NlnSupport.uniqueName("agh");
        String containerName = NlnSupport.uniqueName("agc");
        try (Netlib root = Netlib.open();
                Namespace hostNs = root.namespaces().create(hostName);
                Namespace container = root.namespaces().create(containerName)) {
            Netlib host = root.in(hostNs);
            host.bridge("br0").up().create();
            host.veth("h0").master("br0").ipv6LinkLocal(false).up()
                    .peer("eth0", p -> p.namespace(container).ipv6LinkLocal(false).up())
                    .create();

            Netlib inside = root.in(container);
            LinkInfo eth0 = inside.link("eth0").info();
            assertThat(eth0.adminUp()).isTrue();
            assertThat(eth0.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
            LinkInfo h0 = host.link("h0").info();
            assertThat(h0.adminUp()).isTrue();
            assertThat(h0.masterName()).isEqualTo("br0");
            assertThat(h0.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
            assertThat(h0.operState()).isEqualTo(OperState.UP);
            List<AddressInfo> v6 = inside.addresses().list().stream()
                    .filter(a -> a.device().equals("eth0") && !a.address().isIpv4()).toList();
            assertThat(v6).as("no fe80 address on eth0").isEmpty();
            assertThat(NlnSupport.sh("ip", "-n", containerName, "-6", "addr", "show", "dev", "eth0")).doesNotContain("fe80");
        }
    }
}
