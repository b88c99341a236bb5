package dev.netlib.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.netns.NlnSupport;
import dev.netlib.model.BridgePortInfo;
import org.junit.jupiter.api.Test;

/**
 * A bridge port's flags read back from the link dump (IFLA_INFO_SLAVE_DATA, br_port_fill_attrs()),
 * against sysfs ({@code /sys/class/net/PORT/brport/}) after changes from netlib and from another
 * netlink socket (iproute2). Needs root.
 */
class BridgePortKernelTest {
    private static String sysfs(String ns, String port, String flag) {
        return NlnSupport.sh("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + port + "/brport/" + flag).trim();
    }

    @Test
    void learningAndHairpinAreReadBackAsTheKernelHasThem() {
        NlnSupport.assumeRoot();
        String name = NlnSupport.uniqueName("bpk");
        try (Netlib root = Netlib.open(); Namespace ns = root.namespaces().create(name)) {
            Netlib host = root.in(ns);
            host.bridge("br0").up().create();
            host.veth("d0").peer("d1").create(); // a veth: this kernel may lack the dummy module
            assertThat(host.link("d0").info().bridgePort()).as("not a port yet").isNull();
            host.link("d0").master("br0");
            assertThat(host.link("d0").info().bridgePort()).as("a new port learns (new_nbp())").isEqualTo(new BridgePortInfo(false, true));
            assertThat(host.link("br0").info().bridgePort()).as("the bridge itself is no port").isNull();

            host.link("d0").portLearning(false);
            assertThat(host.link("d0").info().bridgePort().learning()).isFalse();
            assertThat(sysfs(name, "d0", "learning")).isEqualTo("0");

            NlnSupport.sh("ip", "-n", name, "link", "set", "dev", "d0", "type", "bridge_slave", "learning", "on", "hairpin", "on");
            assertThat(sysfs(name, "d0", "learning")).isEqualTo("1");
            assertThat(host.link("d0").info().bridgePort()).as("changed from another socket").isEqualTo(new BridgePortInfo(true, true));
            assertThat(host.links().stream().filter(l -> l.name().equals("d0")).findFirst().orElseThrow().bridgePort())
                    .as("the same in a full dump").isEqualTo(new BridgePortInfo(true, true));

            host.link("d0").noMaster();
            assertThat(host.link("d0").info().bridgePort()).as("released").isNull();
        }
    }
}
