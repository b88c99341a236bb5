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
        return commands.stream().map(c -> c.replaceAll(" comment \"netlib [^\"]*\"$", "")).toList();
    }

    @Test
    void everyKernelRuleCarriesItsRulesKeyAndTheKeyReadsBack() {
        List<NatRule> rules = List.of(NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build(),
                NatRule.masquerade().build(), NatRule.snat("10.1.0.9").source("10.1.0.0/24").outInterface("eth0").build(),
                NatRule.publish("10.1.0.2:8000-8002:9000-9002/udp", "172.17.0.2"),
                NatRule.tcp().hostPort(81).hairpinNetwork("172.17.0.0/16").to("172.17.0.2"),
                NatRule.isolate("br-b", "br-a"), NatRule.noIcc("docker0"));
        for (NatRule r : rules) {
            String key = dev.netlib.spi.nft.RuleKeys.key(r.spec());
            assertThat(dev.netlib.spi.nft.RuleKeys.parse(key)).isEqualTo(r.spec());
            assertThat(key.length()).isLessThan(128);
            assertThat(r.commands()).isNotEmpty().allMatch(c -> c.endsWith(" comment \"" + key + "\""));
        }
        assertThat(NatRule.publish("8080:80", "172.17.0.2").commands().get(0))
                .isEqualTo("nft add rule ip netlib published tcp dport 8080 dnat to 172.17.0.2:80 comment \"netlib dnat tcp - 8080 8080 172.17.0.2 80 -\"");
        assertThatThrownBy(() -> dev.netlib.spi.nft.RuleKeys.parse("netlib dnat tcp - 0 8080 172.17.0.2 80 -"))
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

    @Test
    void masqueradeRendersDockersRule() {
        NatRule r = NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build();
        assertThat(bare(r.commands())).containsExactly("nft add rule ip netlib postrouting ip saddr 172.17.0.0/16 oifname != \"docker0\" masquerade");
        assertThat(bare(NatRule.snat("10.1.0.2").outInterface("eth0").build().commands()))
                .containsExactly("nft add rule ip netlib postrouting oifname \"eth0\" snat to 10.1.0.2");
    }

    @Test
    void publishExpandsToPreroutingOutputAndHairpin() {
        List<NatRule> added = host.nat().add(NatRule.publish("8080:80", "172.17.0.2"));
        assertThat(bare(added.get(0).commands())).containsExactly(
                "nft add rule ip netlib published tcp dport 8080 dnat to 172.17.0.2:80",
                "nft add rule ip netlib postrouting ip saddr 172.17.0.0/16 ip daddr 172.17.0.2 tcp dport 80 ct status dnat masquerade");
        assertThat(((DnatRule) added.get(0).spec()).hairpinNetwork()).isEqualTo(IpPrefix.parseSubnet("172.17.0.0/16"));
        assertThat(host.nat().list()).containsExactlyElementsOf(added);
    }

    @Test
    void firstCallCreatesTableAndChainsAndEnablesForwarding() {
        List<String> cmds = bare(host.nat().apply(List.of(NatRule.publish("10.1.0.2:53:5353/udp", "172.17.0.3")), List.of()).commands());
        assertThat(cmds).startsWith("nft add table ip netlib",
                "nft add chain ip netlib published",
                "nft add chain ip netlib prerouting { type nat hook prerouting priority -100; policy accept; }",
                "nft add rule ip netlib prerouting fib daddr type local jump published",
                "nft add chain ip netlib output { type nat hook output priority -100; policy accept; }",
                "nft add rule ip netlib output ip daddr != 127.0.0.0/8 fib daddr type local jump published",
                "nft add chain ip netlib postrouting { type nat hook postrouting priority 100; policy accept; }");
        assertThat(cmds).contains("nft add rule ip netlib published ip daddr 10.1.0.2 udp dport 53 dnat to 172.17.0.3:5353");
        assertThat(kernel.sysctls.get("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void isolationDoesNotNeedForwarding() {
        host.nat().add(NatRule.isolate("br-b", "br-a"));
        assertThat(kernel.sysctls.get("net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(NatRule.isolate("br-a", "br-b")).isEqualTo(NatRule.isolate("br-b", "br-a"));
        assertThat(kernel.firewall.kernelRules(kernel.root())).extracting(t -> t.text())
                .containsExactly("iifname \"br-a\" oifname \"br-b\" drop", "iifname \"br-b\" oifname \"br-a\" drop");
    }

    @Test
    void rangeKeepsPortsInOneRuleOrMapsOneToOne() {
        NatRule same = NatRule.publish("8000-8002:8000-8002", "172.17.0.2");
        assertThat(same.spec().expand().get(0).text()).isEqualTo("tcp dport 8000-8002 dnat to 172.17.0.2");
        NatRule shifted = NatRule.publish("9000-9001:80-81/udp", "172.17.0.2");
        assertThat(shifted.spec().expand()).extracting(t -> t.text()).contains(
                "udp dport 9000 dnat to 172.17.0.2:80",
                "udp dport 9001 dnat to 172.17.0.2:81");
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
    void removingLastRuleRemovesChainsAndTable() {
        NatRule p = NatRule.publish("8080:80", "172.17.0.2");
        NatRule i = NatRule.noIcc("docker0");
        host.nat().add(p, i);
        assertThat(kernel.firewall.tables(kernel.root())).containsExactly("ip");
        assertThat(kernel.firewall.chains(kernel.root())).containsExactly(NftLayout.DNAT, NftLayout.PREROUTING, NftLayout.OUTPUT, NftLayout.POSTROUTING, NftLayout.FORWARD);
        List<String> cmds = bare(host.nat().apply(List.of(), List.of(i)).commands());
        assertThat(cmds).containsExactly("nft delete rule ip netlib forward handle ? # iifname \"docker0\" oifname \"docker0\" drop",
                "nft delete chain ip netlib forward");
        // removal with the rule as the user wrote it (hairpin network not filled in)
        cmds = bare(host.nat().apply(List.of(), List.of(p)).commands());
        assertThat(cmds).containsExactly("nft delete rule ip netlib published handle ? # tcp dport 8080 dnat to 172.17.0.2:80",
                "nft delete rule ip netlib postrouting handle ? # ip saddr 172.17.0.0/16 ip daddr 172.17.0.2 tcp dport 80 ct status dnat masquerade",
                "nft delete table ip netlib");
        assertThat(kernel.firewall.tables(kernel.root())).isEmpty();
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
    void everyRuleNamesTheChainsItsTextGoesTo() {
        for (NatRule r : List.of(NatRule.masquerade().build(), NatRule.snat("10.1.0.9").build(), NatRule.publish("80:80", "172.17.0.2"),
                NatRule.tcp().hostPort(81).hairpinNetwork("172.17.0.0/16").to("172.17.0.2"), NatRule.isolate("a", "b"), NatRule.noIcc("a"))) {
            assertThat(r.spec().chains()).as(r.toString())
                    .containsExactlyInAnyOrderElementsOf(r.spec().expand().stream().map(t -> t.chain()).distinct().toList());
        }
    }

    @Test
    void dryRunChangesNothing() {
        List<String> cmds = bare(host.nat().dryRun(List.of(NatRule.isolate("br1", "br2")), List.of()));
        assertThat(cmds).containsExactly("nft add table ip netlib",
                "nft add chain ip netlib forward { type filter hook forward priority 0; policy accept; }",
                "nft add rule ip netlib forward iifname \"br1\" oifname \"br2\" drop",
                "nft add rule ip netlib forward iifname \"br2\" oifname \"br1\" drop");
        assertThat(host.nat().list()).isEmpty();
    }
}
