package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_APPEND;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.nft.uapi.NftConstants;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.HairpinRule;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.spi.nft.NftElement;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.Protocol;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden bytes: every message netlib writes is compared with what {@code nft} 1.0.6 sent for the
 * same command (captured by src/test/resources/nft/golden/capture.sh and capture-maps.sh in a
 * throwaway namespace), and every captured rule and element decodes to what netlib writes (both
 * directions).
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
        return Stream.of(
                Arguments.of("masquerade", new MasqueradeRule(docker, "docker0", true)),
                Arguments.of("masquerade-20", new MasqueradeRule(IpPrefix.parseSubnet("10.16.0.0/20"), null, false)),
                Arguments.of("snat", new SnatRule(null, "eth0", false, IpAddresses.parse("10.1.0.2"))));
    }

    /** A command as the fixture script wrote it ({@code nft $*}): netlib's shell quotes removed. */
    static String unquoted(String command) {
        return command.replace("'", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void keyedRuleMatchesNftBytesBothWays(String name, FirewallRule rule) throws Exception {
        Fixture f = load(name);
        NftRule compiled = RuleCompiler.compile(rule).get(0);
        // the text netlib logs is the command the fixture was made with
        assertThat(unquoted(rule.expand().get(0).addCommand())).isEqualTo(f.command());
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

    static Stream<Arguments> fixedRules() {
        return Stream.of(Arguments.of("rule-published-addr", 0), Arguments.of("rule-published", 1), Arguments.of("jump-prerouting", 2),
                Arguments.of("jump-output", 3), Arguments.of("rule-hairpin", 4), Arguments.of("rule-isolated", 5));
    }

    /** The layout's lookup rules; nft refers to a set by name and by the id it numbers the table's sets with (1..4, as the layout). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedRules")
    void fixedRuleMatchesNftBytesBothWays(String name, int index) throws Exception {
        Fixture f = load(name);
        NftRule rule = RuleCompiler.fixed().get(index);
        assertThat(unquoted(NftLayout.FIXED_RULES.get(index).addCommand())).isEqualTo(f.command());
        byte[] ours = write(w -> NftMessages.newRule(w, NftLayout.TABLE, rule, NLM_F_CREATE | NLM_F_APPEND));
        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(HexFormat.of().formatHex(f.message()));
        assertThat(NftDecoder.rule(MessageReader.split(f.message()).get(0)).expressions()).containsExactlyElementsOf(rule.expressions());
    }

    /** Each set was captured made alone (set id 1). */
    @Test
    void setsAndMapsMatchNft() throws Exception {
        String[] names = {"map-published", "map-published-addr", "set-hairpin", "set-isolated"};
        for (int i = 0; i < names.length; i++) {
            NftSets s = NftSets.ALL.get(i);
            assertSame(names[i], write(w -> NftSetMessages.newSet(w, s, 1, NLM_F_CREATE)));
            assertThat(unquoted(s.set().addCommand())).isEqualTo(load(names[i]).command());
        }
    }

    static Stream<Arguments> elements() {
        var c2 = IpAddresses.parse("172.17.0.2");
        DnatRule published = new DnatRule(Protocol.TCP, null, 8080, 8080, c2, 80);
        DnatRule onAddress = new DnatRule(Protocol.UDP, IpAddresses.parse("10.1.0.2"), 53, 53, IpAddresses.parse("172.17.0.3"), 5353);
        HairpinRule hairpin = new HairpinRule("docker0", IpPrefix.parseSubnet("172.17.0.0/16"));
        IsolationRule isolated = new IsolationRule("br-a", "br-b");
        return Stream.of(
                Arguments.of("elem-published", published.elements().get(0)),
                Arguments.of("elem-hairpin", hairpin.elements().get(0)),
                Arguments.of("elem-published-addr", onAddress.elements().get(0)),
                Arguments.of("elem-isolated", isolated.elements().get(0)));
    }

    /** One element per message; nft's own {@code add} sends NLM_F_CREATE alone (netlib adds NLM_F_EXCL). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("elements")
    void elementMatchesNftBytesBothWays(String name, NftElement element) throws Exception {
        Fixture f = load(name);
        assertThat(unquoted(element.addCommand())).isEqualTo(f.command());
        assertSame(name, write(w -> NftSetMessages.newElement(w, element, NftSets.of(element.set()).id(), NLM_F_CREATE)));
        assertThat(NftDecoder.elementComments(MessageReader.split(f.message()).get(0))).containsExactly(element.comment());
        if (name.equals("elem-published-addr")) {
            return; // no delete fixture of its own: same message shape as elem-published-del
        }
        Fixture del = load(name + "-del");
        assertThat(unquoted(element.deleteCommand())).isEqualTo(del.command());
        assertSame(name + "-del", write(w -> NftSetMessages.delElement(w, element, 0)));
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
        // the layout's removal adds NLM_F_NONREC (EBUSY while the set holds an element); nft sends none
        assertSame("delete-set", write(w -> NftSetMessages.delSet(w, NftSets.ISOLATED, 0)));
        assertThat(unquoted(NftLayout.PREROUTING.addCommand())).isEqualTo(load("chain-prerouting").command());
        assertThat(NftLayout.DNAT.addCommand()).isEqualTo(load("chain-published").command());
        assertThat(NftLayout.FORWARD.deleteCommand()).isEqualTo(load("delete-chain").command());
        assertThat(NftLayout.deleteCommand()).isEqualTo(load("delete-table").command());
    }

    private static void assertSame(String name, byte[] ours) throws Exception {
        assertThat(HexFormat.of().formatHex(ours)).as(name).isEqualTo(HexFormat.of().formatHex(load(name).message()));
    }
}
