package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.nft.expr.BitwiseExpr;
import dev.netlib.linux.internal.nft.expr.CmpExpr;
import dev.netlib.linux.internal.nft.expr.CounterExpr;
import dev.netlib.linux.internal.nft.expr.CtExpr;
import dev.netlib.linux.internal.nft.expr.Expr;
import dev.netlib.linux.internal.nft.expr.FibExpr;
import dev.netlib.linux.internal.nft.expr.ImmediateExpr;
import dev.netlib.linux.internal.nft.expr.LookupExpr;
import dev.netlib.linux.internal.nft.expr.MasqExpr;
import dev.netlib.linux.internal.nft.expr.MetaExpr;
import dev.netlib.linux.internal.nft.expr.NatExpr;
import dev.netlib.linux.internal.nft.expr.PayloadExpr;
import dev.netlib.spi.nft.NftLayout;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every expression type, including those netlib's rules do not use yet, survives write then decode. */
class ExprRoundTripTest {
    @Test
    void everyExpressionDecodesToItself() {
        List<Expr> all = List.of(
                new MetaExpr(NFT_META_L4PROTO, NFT_REG_1),
                new PayloadExpr(NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, 12, 4),
                new CmpExpr(NFT_REG_1, NFT_CMP_NEQ, new byte[] {10, 0, 0, 1}),
                new BitwiseExpr(NFT_REG_1, NFT_REG_2, 2, new byte[] {(byte) 0xff, 0}, new byte[] {0, 1}),
                ImmediateExpr.value(NFT_REG_2, new byte[] {0, 80}),
                ImmediateExpr.verdict(NF_ACCEPT),
                ImmediateExpr.jump(NFT_GOTO, "published"),
                new NatExpr(NFT_NAT_SNAT, NFPROTO_IPV4, NFT_REG_1, NFT_REG_2, NFT_REG_3, NFT_REG_4, NF_NAT_RANGE_MAP_IPS),
                new MasqExpr(0),
                new MasqExpr(NF_NAT_RANGE_PROTO_SPECIFIED),
                new CounterExpr(1234, 5),
                new CtExpr(NFT_CT_STATE, NFT_REG_1),
                new FibExpr(NFTA_FIB_F_DADDR | NFTA_FIB_F_IIF, NFT_FIB_RESULT_OIF, NFT_REG_1),
                new LookupExpr("ports", NFT_REG_1, NFT_REG_2, 7, 0),
                new LookupExpr("addrs", NFT_REG_1, 0, 0, 1));
        NftRule rule = new NftRule(NftLayout.FORWARD, all, "(test)", "netlib noicc br0", 0);
        MessageWriter w = new MessageWriter().nestedFlag(true);
        NftMessages.newRule(w, NftLayout.TABLE, rule, 0);
        NftDecoder.RuleMessage back = NftDecoder.rule(MessageReader.split(w.toByteArray()).get(0));
        assertThat(back.expressions()).containsExactlyElementsOf(all);
        assertThat(back.chain()).isEqualTo("forward");
        assertThat(back.comment()).isEqualTo("netlib noicc br0");
        assertThat(NftDecoder.ruleRef(MessageReader.split(w.toByteArray()).get(0)))
                .isEqualTo(new NftDecoder.RuleRef(NftLayout.TABLE, "forward", back.handle(), "netlib noicc br0"));
    }

    @Test
    void anExpressionNetlibDoesNotKnowIsAClearError() {
        // nft add rule ... limit rate 1/second: a "limit" expression
        MessageWriter w = new MessageWriter().nestedFlag(true);
        w.beginMessage(NftMessages.type(NFT_MSG_NEWRULE), 0);
        w.putU8(NFPROTO_IPV4).putU8(0).putU16Be(0);
        w.attrString(NFTA_RULE_TABLE, "netlib");
        w.attrString(NFTA_RULE_CHAIN, "postrouting");
        w.attrU64Be(NFTA_RULE_HANDLE, 42);
        int list = w.beginNested(NFTA_RULE_EXPRESSIONS);
        int elem = w.beginNested(NFTA_LIST_ELEM);
        w.attrString(NFTA_EXPR_NAME, "limit");
        w.endNested(elem);
        w.endNested(list);
        w.endMessage();
        assertThatThrownBy(() -> NftDecoder.rule(MessageReader.split(w.toByteArray()).get(0)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("limit");
        // what netlib reads to find its keyed rules and delete rules by handle does not look inside
        assertThat(NftDecoder.ruleRef(MessageReader.split(w.toByteArray()).get(0)))
                .isEqualTo(new NftDecoder.RuleRef("netlib", "postrouting", 42, null));
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isNotEmpty();
    }
}
