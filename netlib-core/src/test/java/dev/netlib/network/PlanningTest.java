package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Address choices, stored forms and the journal, without a kernel. */
class PlanningTest {
    @Test
    void staticAddressMustBeAHostOfTheSubnetAndNotTheGateway() {
        IpPrefix subnet = IpPrefix.parseSubnet("172.20.18.0/24");
        var gw = IpAddresses.parse("172.20.18.1");
        AddressPlanner.checkStatic("n", subnet, gw, IpAddresses.parse("172.20.18.6"));
        assertThatThrownBy(() -> AddressPlanner.checkStatic("n", subnet, gw, IpAddresses.parse("172.20.19.6"))).hasMessageContaining("outside");
        assertThatThrownBy(() -> AddressPlanner.checkStatic("n", subnet, gw, IpAddresses.parse("172.20.18.255"))).hasMessageContaining("broadcast");
        assertThatThrownBy(() -> AddressPlanner.checkStatic("n", subnet, gw, gw)).hasMessageContaining("gateway");
    }

    @Test
    void definitionsRoundTripThroughTheirStoredForm() {
        NetworkConfig n = new NetworkConfig("my_net2", Names.randomId(), DriverKind.BRIDGE, IpPrefix.parseSubnet("172.20.18.0/24"),
                IpAddresses.parse("172.20.18.1"), true, "br-0123456789ab", 1400, false, true, false, false);
        assertThat(NetworkConfig.decode("k", n.encode())).isEqualTo(n);
        EndpointConfig e = new EndpointConfig("my_net2", "box5", Names.randomId(), "nlw-box5", "eth1", "veth1234567",
                IpPrefix.parse("172.20.18.6/24"), MacAddress.parse("02:42:ac:14:12:06"), true, List.of("web", "www"),
                List.of(PortMapping.parse("8080:80"), PortMapping.parse("53:53/udp")), true);
        assertThat(EndpointConfig.decode("k", e.encode())).isEqualTo(e);
        EndpointConfig bare = new EndpointConfig("bridge", "box1", Names.randomId(), null, "eth0", null,
                IpPrefix.parse("172.17.0.2/16"), MacAddress.parse("02:42:ac:11:00:02"), false, List.of(), List.of(), false);
        assertThat(EndpointConfig.decode("k", bare.encode())).isEqualTo(bare);
    }

    @Test
    void namesFollowDockersRule() {
        assertThat(Names.check("network", "my_net1")).isEqualTo("my_net1");
        assertThatThrownBy(() -> Names.check("network", "-x")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> Names.check("container", "a/b")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> Names.check("container", "a\nb")).isInstanceOf(InvalidConfigException.class);
        assertThat(Names.randomId()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void journalUndoesNewestFirstAndKeepsGoingWhenAnUndoFails() {
        List<String> log = new ArrayList<>();
        Journal j = new Journal("test");
        j.step("one", () -> log.add("do 1"), () -> log.add("undo 1"));
        j.step("two", () -> log.add("do 2"), () -> {
            throw new IllegalStateException("undo 2 broke");
        });
        j.step("three", () -> log.add("do 3"), () -> log.add("undo 3"));
        RuntimeException cause = new RuntimeException("step 4 failed");
        j.rollback(cause);
        assertThat(log).containsExactly("do 1", "do 2", "do 3", "undo 3", "undo 1");
        assertThat(cause.getSuppressed()).hasSize(1);
        assertThat(cause.getSuppressed()[0]).hasMessage("undo 2 broke");
        assertThat(j.size()).isZero();
    }

    @Test
    void hostsFileListsLocalhostSelfAndPeersWithAliases() {
        EndpointConfig self = new EndpointConfig("my_net1", "box2", Names.randomId(), "ns2", "eth1", "veth1",
                IpPrefix.parse("172.18.0.4/16"), MacAddress.parse("02:42:ac:12:00:04"), false, List.of(), List.of(), false);
        EndpointConfig peer = new EndpointConfig("my_net1", "box3", Names.randomId(), "ns3", "eth0", "veth2",
                IpPrefix.parse("172.18.0.2/16"), MacAddress.parse("02:42:ac:12:00:02"), false, List.of("db"), List.of(), true);
        String text = HostsFiles.render("box2", List.of(self), List.of(peer));
        assertThat(text).startsWith(HostsFiles.MARKER).contains("127.0.0.1\tlocalhost\n").contains("172.18.0.4\tbox2\n")
                .contains("172.18.0.2\tbox3 db\n");
    }
}
