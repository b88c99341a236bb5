package dev.netlib.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotFoundException;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.value.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NatTest {
    StubBackend kernel;
    Netlib host;

    /** The commands without their {@code comment "netlib ..."} (checked on its own below). */
    static List<String> bare(List<String> commands) {
        return commands.stream().map(c -> c.replaceAll(" comment \"netlib [^\"]*\"", "")).toList();
    }

    @Test
    void everyKernelRuleCarriesItsRulesKeyAndTheKeyReadsBack() {
        List<NatRule> rules = List.of(NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build(),
                NatRule.masquerade().build(), NatRule.snat("10.1.0.9").source("10.1.0.0/24").outInterface("eth0").build(),
                NatRule.publish("10.1.0.2:8000-8002:9000-9002/udp", "172.17.0.2"),
                NatRule.tcp().hostPort(81).to("172.17.0.2"), NatRule.hairpin("docker0", "172.17.0.0/16"),
                NatRule.isolate("br-b", "br-a"), NatRule.noIcc("docker0"));
        for (NatRule r : rules) {
            String key = dev.netlib.spi.nft.RuleKeys.key(r.spec());
            assertThat(dev.netlib.spi.nft.RuleKeys.parse(key)).isEqualTo(r.spec());
            assertThat(key.length()).isLessThan(128);
            // every element and kernel rule names its rule: no element is shared
            assertThat(r.commands()).isNotEmpty().allMatch(c -> c.contains(" comment \"" + key + "\""));
        }
        assertThat(NatRule.publish("8080:80", "172.17.0.2").commands()).containsExactly(
                "nft add element ip netlib published '{ tcp . 8080 comment \"netlib dnat tcp - 8080 8080 172.17.0.2 80\" : 172.17.0.2 . 80 }'");
        assertThat(NatRule.hairpin("docker0", "172.17.0.0/16").commands()).containsExactly(
                "nft add element ip netlib hairpin '{ \"docker0\" . 172.17.0.0/16 comment \"netlib hairpin docker0 172.17.0.0/16\" }'");
        assertThatThrownBy(() -> dev.netlib.spi.nft.RuleKeys.parse("netlib dnat tcp - 0 8080 172.17.0.2 80"))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> dev.netlib.spi.nft.RuleKeys.parse("docker something")).isInstanceOf(InvalidConfigException.class);
    }

    @BeforeEach
    void setUp() {
        kernel = new StubBackend();
        kernel.address("docker0", "172.17.0.1/16");
        kernel.address("eth0", "10.1.0.2/24");
        host = Netlib.open(kernel);
    }

    /**
     * A port another process publishes between this publish's check and its batch: the kernel
     * refuses the element (EEXIST), and the caller gets the check's refusal naming that port, as
     * when it was published before; an identical rule installed meanwhile stays EEXIST (the network
     * layer reads again and finds it there).
     */
    @Test
    void aPortPublishedMeanwhileIsRefusedAsAPortPublishedBefore() {
        kernel.beforeNextBatch = () -> kernel.firewall.apply(kernel.root(),
                List.of(dev.netlib.spi.nft.FirewallChange.add(NatRule.publish("8080:80", "172.17.0.3").spec())));
        assertThatThrownBy(() -> host.nat().add(NatRule.publish("8080:80", "172.17.0.2"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("were published meanwhile by publish 8080 -> 172.17.0.3:80/tcp");
        kernel.beforeNextBatch = () -> kernel.firewall.apply(kernel.root(),
                List.of(dev.netlib.spi.nft.FirewallChange.add(NatRule.publish("9090:90", "172.17.0.2").spec())));
        assertThatThrownBy(() -> host.nat().add(NatRule.publish("9090:90", "172.17.0.2")))
                .isInstanceOf(dev.netlib.error.AlreadyExistsException.class);
        assertThat(host.nat().list()).containsExactlyInAnyOrder(NatRule.publish("8080:80", "172.17.0.3"), NatRule.publish("9090:90", "172.17.0.2"));
    }

    @Test
    void masqueradeRendersDockersRule() {
        NatRule r = NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build();
        assertThat(bare(r.commands())).containsExactly("nft add rule ip netlib postrouting 'ip saddr 172.17.0.0/16 oifname != \"docker0\" masquerade'");
        assertThat(bare(NatRule.snat("10.1.0.2").outInterface("eth0").build().commands()))
                .containsExactly("nft add rule ip netlib postrouting 'oifname \"eth0\" snat to 10.1.0.2'");
    }

    @Test
    void publishIsOneMapElementAndHairpinOneElementPerNetwork() {
        List<NatRule> added = host.nat().add(NatRule.publish("8080:80", "172.17.0.2"), NatRule.hairpin("docker0", "172.17.0.0/16"));
        assertThat(bare(added.get(0).commands())).containsExactly("nft add element ip netlib published '{ tcp . 8080 : 172.17.0.2 . 80 }'");
        assertThat(bare(added.get(1).commands())).containsExactly("nft add element ip netlib hairpin '{ \"docker0\" . 172.17.0.0/16 }'");
        assertThat(host.nat().list()).containsExactlyElementsOf(added);
        assertThatThrownBy(() -> NatRule.hairpin("docker0", "fd00::/64")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> NatRule.hairpin("docker0", "172.17.0.1/16")).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void firstCallCreatesTableAndChainsAndEnablesForwarding() {
        List<String> cmds = bare(host.nat().apply(List.of(NatRule.publish("10.1.0.2:53:5353/udp", "172.17.0.3")), List.of()).commands());
        assertThat(cmds).containsExactly("nft add table ip netlib",
                "nft add chain ip netlib published",
                "nft add chain ip netlib prerouting '{ type nat hook prerouting priority -100; policy accept; }'",
                "nft add chain ip netlib output '{ type nat hook output priority -100; policy accept; }'",
                "nft add chain ip netlib postrouting '{ type nat hook postrouting priority 100; policy accept; }'",
                "nft add chain ip netlib forward '{ type filter hook forward priority 0; policy accept; }'",
                "nft add map ip netlib published '{ type inet_proto . inet_service : ipv4_addr . inet_service; }'",
                "nft add map ip netlib published_addr '{ type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }'",
                "nft add set ip netlib hairpin '{ type ifname . ipv4_addr; flags interval; }'",
                "nft add set ip netlib isolated '{ type ifname . ifname; }'",
                "nft add rule ip netlib published 'dnat ip to ip daddr . meta l4proto . th dport map @published_addr'",
                "nft add rule ip netlib published 'dnat ip to meta l4proto . th dport map @published'",
                "nft add rule ip netlib prerouting 'fib daddr type local jump published'",
                "nft add rule ip netlib output 'ip daddr != 127.0.0.0/8 fib daddr type local jump published'",
                "nft add rule ip netlib postrouting 'ct status dnat oifname . ip saddr @hairpin masquerade'",
                "nft add rule ip netlib forward 'iifname . oifname @isolated drop'",
                "nft add element ip netlib published_addr '{ 10.1.0.2 . udp . 53 : 172.17.0.3 . 5353 }'");
        assertThat(kernel.sysctls.get("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void isolationDoesNotNeedForwarding() {
        host.nat().add(NatRule.isolate("br-b", "br-a"));
        assertThat(kernel.sysctls.get("net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(NatRule.isolate("br-a", "br-b")).isEqualTo(NatRule.isolate("br-b", "br-a"));
        assertThat(kernel.firewall.elements(kernel.root())).extracting(e -> e.keyText())
                .containsExactly("\"br-a\" . \"br-b\"", "\"br-b\" . \"br-a\"");
    }

    @Test
    void aRangeIsOneElementPerPort() {
        NatRule same = NatRule.publish("8000-8002:8000-8002", "172.17.0.2");
        assertThat(same.spec().elements()).extracting(e -> e.keyText()).containsExactly("tcp . 8000", "tcp . 8001", "tcp . 8002");
        NatRule shifted = NatRule.publish("9000-9001:80-81/udp", "172.17.0.2");
        assertThat(bare(shifted.commands())).containsExactly(
                "nft add element ip netlib published '{ udp . 9000 : 172.17.0.2 . 80 }'",
                "nft add element ip netlib published '{ udp . 9001 : 172.17.0.2 . 81 }'");
    }

    @Test
    void badInputFailsBeforeAnythingChanges() {
        assertThatThrownBy(() -> NatRule.tcp().hostPort(0)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> NatRule.tcp().hostPort(65536)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> NatRule.tcp().hostPorts(9000, 8000)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("reversed");
        assertThatThrownBy(() -> NatRule.publish("sctp")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("tcp, udp");
        assertThatThrownBy(() -> NatRule.publish("8080:80/icmp", "172.17.0.2")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> NatRule.publish("8000-8002:80", "172.17.0.2")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> NatRule.tcp().hostPort(80).to("fd00::1", 80)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> NatRule.isolate("br0", "br0")).isInstanceOf(InvalidConfigException.class);

        host.nat().add(NatRule.publish("8080:80", "172.17.0.2"));
        int calls = kernel.firewallCalls;
        // duplicate (tcp, any address, 8080) even to another target and inside a range; a second rule in the same call is not sent either
        assertThatThrownBy(() -> host.nat().add(NatRule.publish("8079-8081:8079-8081", "172.17.0.9")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("already published");
        assertThatThrownBy(() -> host.nat().add(NatRule.publish("9090:90", "172.17.0.2"), NatRule.publish("10.1.0.2:9090:91", "172.17.0.3")))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> host.nat().add(NatRule.publish("10.1.0.99:7070:70", "172.17.0.2")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("not an address of");
        assertThatThrownBy(() -> host.nat().add(NatRule.publish("7070:70", "192.168.99.2")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("outside every network");
        assertThat(kernel.firewallCalls).isEqualTo(calls);
        // udp on the same port is another mapping
        host.nat().add(NatRule.publish("8080:80/udp", "172.17.0.2"));
        assertThat(host.nat().list()).hasSize(2);
    }

    @Test
    void duplicatesAndMissingRulesAreKernelErrorsAndChangeNothing() {
        NatRule masq = NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build();
        host.nat().add(masq);
        assertThatThrownBy(() -> host.nat().add(NatRule.isolate("a", "b"), masq)).isInstanceOf(AlreadyExistsException.class);
        assertThat(host.nat().list()).containsExactly(masq);
        assertThatThrownBy(() -> host.nat().remove(NatRule.isolate("a", "b"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theTableGoesWhenNothingIsLeftInIt() {
        NatRule p = NatRule.publish("8080:80", "172.17.0.2");
        NatRule i = NatRule.noIcc("docker0");
        NatRule m = NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build();
        host.nat().add(p, i, m);
        assertThat(kernel.firewall.hasTable(kernel.root())).isTrue();
        List<String> cmds = bare(host.nat().apply(List.of(), List.of(i)).commands());
        assertThat(cmds).containsExactly("nft delete element ip netlib isolated '{ \"docker0\" . \"docker0\" }'");
        cmds = bare(host.nat().apply(List.of(), List.of(m)).commands());
        assertThat(cmds).containsExactly("nft delete rule ip netlib postrouting handle " + NftLayout.FIRST_RULE_HANDLE);
        cmds = bare(host.nat().apply(List.of(), List.of(p)).commands());
        assertThat(cmds).containsExactly("nft delete element ip netlib published '{ tcp . 8080 }'", "nft delete table ip netlib");
        assertThat(kernel.firewall.hasTable(kernel.root())).isFalse();
        assertThat(host.nat().list()).isEmpty();
    }

    @Test
    void iccNeedsBridgedTrafficInTheIpHooks() {
        kernel.sysctls.put("net.bridge.bridge-nf-call-iptables", "0");
        assertThatThrownBy(() -> host.nat().add(NatRule.noIcc("docker0"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bridge-nf-call-iptables");
        assertThat(kernel.firewallCalls).isZero();
        kernel.sysctls.put("net.bridge.bridge-nf-call-iptables", "1");
        host.nat().add(NatRule.noIcc("docker0"));
        assertThat(host.nat().list()).hasSize(1);
    }

    @Test
    void everyCommandIsOneShellWordPerNftArgument() {
        assertThat(dev.netlib.spi.nft.NftCommands.quote("published")).isEqualTo("published");
        assertThat(dev.netlib.spi.nft.NftCommands.quote("{ \"it's\" }")).isEqualTo("'{ \"it'\\''s\" }'");
        for (NatRule r : List.of(NatRule.masquerade().build(), NatRule.snat("10.1.0.9").build(), NatRule.publish("80:80", "172.17.0.2"),
                NatRule.tcp().hostPort(81).to("172.17.0.2"), NatRule.hairpin("a", "172.17.0.0/16"), NatRule.isolate("a", "b"), NatRule.noIcc("a"))) {
            for (String c : r.commands()) {
                // outside single quotes: only plain words
                assertThat(c.replaceAll("'[^']*'", "W")).as(c).matches("[A-Za-z0-9_./:,+@%= -]+");
            }
        }
    }

    @Test
    void dryRunChangesNothing() {
        List<String> cmds = bare(host.nat().dryRun(List.of(NatRule.isolate("br1", "br2")), List.of()));
        assertThat(cmds).startsWith("nft add table ip netlib").endsWith(
                "nft add element ip netlib isolated '{ \"br1\" . \"br2\" }'",
                "nft add element ip netlib isolated '{ \"br2\" . \"br1\" }'");
        assertThat(host.nat().list()).isEmpty();
    }
}
