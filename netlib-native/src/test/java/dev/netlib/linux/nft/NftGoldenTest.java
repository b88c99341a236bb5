package dev.netlib.linux.nft;

import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_APPEND;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.linux.netlink.MessageReader;
import dev.netlib.linux.netlink.MessageWriter;
import dev.netlib.linux.netlink.NetlinkMessage;
import dev.netlib.spi.nft.Protocol;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.SnatRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes: every message netlib writes is compared with what {@code nft} 1.0.6 sent for the
 * same command (captured by src/test/resources/nft/golden/capture.sh in a throwaway namespace),
 * and every captured rule decodes to the expressions netlib compiles (both directions).
 */
class NftGoldenTest {

    record Fixture(String command, byte[] message) {}

    static Fixture load(String name) throws Exception {
        try (InputStream in = NftGoldenTest.class.getResourceAsStream("/nft/golden/" + name + ".hex")) {
            assertThat(in).as("fixture " + name).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String command = null;
            String hex = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# command: ")) {
                    command = line.substring("# command: ".length());
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    hex = line.trim();
                }
            }
            return new Fixture(command, HexFormat.of().parseHex(hex));
        }
    }

    static byte[] write(Consumer<MessageWriter> body) {
        MessageWriter w = new MessageWriter().nestedFlag(true);
        body.accept(w);
        return w.toByteArray();
    }

    static Stream<Arguments> rules() {
        IpPrefix docker = IpPrefix.parseSubnet("172.17.0.0/16");
        var c2 = IpAddresses.parse("172.17.0.2");
        return Stream.of(
                Arguments.of("masquerade", new MasqueradeRule(docker, "docker0", true), 0),
                Arguments.of("masquerade-20", new MasqueradeRule(IpPrefix.parseSubnet("10.16.0.0/20"), null, false), 0),
                Arguments.of("snat", new SnatRule(null, "eth0", false, IpAddresses.parse("10.1.0.2")), 0),
                Arguments.of("dnat", new DnatRule(Protocol.TCP, null, 8080, 8080, c2, 80, null), 0),
                Arguments.of("dnat-hostaddr-udp", new DnatRule(Protocol.UDP, IpAddresses.parse("10.1.0.2"), 53, 53,
                        IpAddresses.parse("172.17.0.3"), 5353, null), 0),
                Arguments.of("dnat-range", new DnatRule(Protocol.TCP, null, 8000, 8002, c2, 8000, null), 0),
                Arguments.of("hairpin", new DnatRule(Protocol.TCP, null, 8080, 8080, c2, 80, docker), 1),
                Arguments.of("isolation", new IsolationRule("br-a", "br-b"), 0),
                Arguments.of("icc", new IccRule("br0"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleMatchesNftBytesBothWays(String name, FirewallRule rule, int index) throws Exception {
        Fixture f = load(name);
        NftRule compiled = RuleCompiler.compile(rule).get(index);
        // the text netlib logs is the command the fixture was made with
        assertThat(rule.expand().get(index).addCommand()).isEqualTo(f.command());
        // netlib -> bytes
        byte[] ours = write(w -> NftMessages.newRule(w, NftLayout.TABLE, compiled, NLM_F_CREATE | NLM_F_APPEND));
        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(HexFormat.of().formatHex(f.message()));
        // bytes -> netlib
        List<NetlinkMessage> msgs = MessageReader.split(f.message());
        assertThat(msgs).hasSize(1);
        NftDecoder.RuleMessage decoded = NftDecoder.rule(msgs.get(0));
        assertThat(decoded.table()).isEqualTo("netlib");
        assertThat(decoded.chain()).isEqualTo(compiled.chain().name());
        assertThat(decoded.family()).isEqualTo(NftConstants.NFPROTO_IPV4);
        assertThat(decoded.expressions()).containsExactlyElementsOf(compiled.expressions());
        assertThat(decoded.comment()).isEqualTo(compiled.comment());
        assertThat(dev.netlib.spi.nft.RuleKeys.parse(decoded.comment())).isEqualTo(rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void entryJumpMatchesNftBytesBothWays(String name, dev.netlib.spi.nft.NftChain chain) throws Exception {
        Fixture f = load(name);
        NftRule jump = RuleCompiler.entry(chain).orElseThrow();
        assertThat(NftLayout.entryRule(chain).orElseThrow().addCommand()).isEqualTo(f.command());
        byte[] ours = write(w -> NftMessages.newRule(w, NftLayout.TABLE, jump, NLM_F_CREATE | NLM_F_APPEND));
        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(HexFormat.of().formatHex(f.message()));
        assertThat(NftDecoder.rule(MessageReader.split(f.message()).get(0)).expressions()).containsExactlyElementsOf(jump.expressions());
    }

    static Stream<Arguments> entries() {
        return Stream.of(Arguments.of("jump-prerouting", NftLayout.PREROUTING), Arguments.of("jump-output", NftLayout.OUTPUT));
    }

    @Test
    void tableChainAndDeletionsMatchNft() throws Exception {
        assertSame("table", write(w -> NftMessages.newTable(w, "ip", "netlib", 0)));
        assertSame("chain-published", write(w -> NftMessages.newChain(w, "netlib", NftLayout.DNAT, NLM_F_CREATE)));
        assertSame("chain-prerouting", write(w -> NftMessages.newChain(w, "netlib", NftLayout.PREROUTING, NLM_F_CREATE)));
        assertSame("chain-forward", write(w -> NftMessages.newChain(w, "netlib", NftLayout.FORWARD, NLM_F_CREATE)));
        Fixture del = load("delete-rule");
        long handle = Long.parseLong(del.command().substring(del.command().lastIndexOf(' ') + 1));
        assertSame("delete-rule", write(w -> NftMessages.delRule(w, "netlib", NftLayout.FORWARD, handle, 0)));
        assertSame("delete-chain", write(w -> NftMessages.delChain(w, "netlib", NftLayout.FORWARD, 0)));
        assertSame("delete-table", write(w -> NftMessages.delTable(w, "ip", "netlib", 0)));
        assertThat(load("chain-prerouting").command()).isEqualTo(NftLayout.PREROUTING.addCommand());
        assertThat(load("chain-published").command()).isEqualTo(NftLayout.DNAT.addCommand());
        assertThat(load("delete-chain").command()).isEqualTo(NftLayout.FORWARD.deleteCommand());
    }

    private static void assertSame(String name, byte[] ours) throws Exception {
        assertThat(HexFormat.of().formatHex(ours)).as(name).isEqualTo(HexFormat.of().formatHex(load(name).message()));
    }
}
