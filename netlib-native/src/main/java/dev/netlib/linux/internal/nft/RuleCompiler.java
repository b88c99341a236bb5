package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.*;

import dev.netlib.linux.internal.nft.expr.Expr;
import dev.netlib.linux.internal.nft.expr.ImmediateExpr;
import dev.netlib.linux.internal.nft.expr.LookupExpr;
import dev.netlib.linux.internal.nft.expr.MasqExpr;
import dev.netlib.linux.internal.nft.expr.MetaExpr;
import dev.netlib.linux.internal.nft.expr.NatExpr;
import dev.netlib.linux.internal.nft.expr.PayloadExpr;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.NftRuleText;
import dev.netlib.spi.nft.SnatRule;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns netlib's kernel rules into the expressions nft generates for the same text: the keyed
 * rules of a {@link FirewallRule} ({@link FirewallRule#expand()}: masquerade, SNAT) and the fixed
 * lookup rules of the layout ({@link NftLayout#FIXED_RULES}); checked by the golden tests.
 */
public final class RuleCompiler {
    /** Transport header offset of the destination port ({@code th dport}). */
    private static final int TH_DPORT = 2;

    private RuleCompiler() {}

    /** The keyed kernel rules of {@code rule}, one per {@link FirewallRule#expand()} text, same order. */
    public static List<NftRule> compile(FirewallRule rule) {
        List<NftRuleText> texts = rule.expand();
        List<List<Expr>> exprs;
        if (rule instanceof MasqueradeRule m) {
            exprs = List.of(sourceNat(m.source(), m.outInterface(), m.negateOut(), null));
        } else if (rule instanceof SnatRule s) {
            exprs = List.of(sourceNat(s.source(), s.outInterface(), s.negateOut(), s));
        } else {
            exprs = List.of();
        }
        if (exprs.size() != texts.size()) {
            throw new IllegalStateException("compiled " + exprs.size() + " kernel rules for " + texts.size() + " texts of " + rule);
        }
        List<NftRule> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(new NftRule(texts.get(i).chain(), exprs.get(i), texts.get(i).text(), texts.get(i).comment(), 0));
        }
        return out;
    }

    /** The layout's fixed rules, in {@link NftLayout#FIXED_RULES} order, with the set ids of the layout's own batch. */
    static List<NftRule> fixed() {
        List<List<Expr>> exprs = List.of(
                dnatLookup(NftSets.PUBLISHED_ADDR, true),
                dnatLookup(NftSets.PUBLISHED, false),
                entry(false),
                entry(true),
                hairpin(),
                isolated());
        List<NftRule> out = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            NftRuleText t = NftLayout.FIXED_RULES.get(i);
            out.add(new NftRule(t.chain(), exprs.get(i), t.text(), null, 0));
        }
        return out;
    }

    private static List<Expr> sourceNat(IpPrefix source, String oif, boolean negate, SnatRule snat) {
        List<Expr> e = new ArrayList<>();
        if (source != null) {
            Matches.ipPrefix(e, Matches.IP_SADDR, source, false);
        }
        if (oif != null) {
            Matches.ifname(e, NFT_META_OIFNAME, oif, negate);
        }
        if (snat == null) {
            e.add(new MasqExpr(0));
        } else {
            e.add(ImmediateExpr.value(NFT_REG_1, snat.to().getAddress()));
            e.add(new NatExpr(NFT_NAT_SNAT, NFPROTO_IPV4, NFT_REG_1, 0, 0, 0, 0));
        }
        return e;
    }

    /**
     * {@code dnat ip to [ip daddr .] meta l4proto . th dport map @SET}: the key's fields in
     * consecutive 32-bit registers from NFT_REG_1, the looked-up address . port back in NFT_REG_1
     * (address in its first 32-bit register, NFT_REG32_00, port in the next, NFT_REG32_01).
     */
    private static List<Expr> dnatLookup(NftSets map, boolean withAddress) {
        List<Expr> e = new ArrayList<>();
        int reg = NFT_REG_1;
        if (withAddress) {
            e.add(new PayloadExpr(NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, Matches.IP_DADDR, 4));
            reg = NFT_REG32_01;
        }
        e.add(new MetaExpr(NFT_META_L4PROTO, reg));
        e.add(new PayloadExpr(reg == NFT_REG_1 ? NFT_REG32_01 : reg + 1, NFT_PAYLOAD_TRANSPORT_HEADER, TH_DPORT, 2));
        e.add(new LookupExpr(map.set().name(), NFT_REG_1, NFT_REG_1, map.id(), 0));
        e.add(new NatExpr(NFT_NAT_DNAT, NFPROTO_IPV4, NFT_REG_1, 0, NFT_REG32_01, 0, 0));
        return e;
    }

    /** {@code [ip daddr != 127.0.0.0/8] fib daddr type local jump published}. */
    private static List<Expr> entry(boolean output) {
        List<Expr> e = new ArrayList<>();
        if (output) {
            Matches.ipPrefix(e, Matches.IP_DADDR, IpPrefix.parse("127.0.0.0/8"), true);
        }
        Matches.fibDaddrLocal(e);
        e.add(ImmediateExpr.jump(NFT_JUMP, NftLayout.DNAT.name()));
        return e;
    }

    /**
     * {@code ct status dnat oifname . ip saddr @hairpin masquerade}: the name fills the 16-byte
     * register 1, the address the next one (nft puts each field of a concatenation in the registers
     * after the previous field's).
     */
    private static List<Expr> hairpin() {
        List<Expr> e = new ArrayList<>();
        Matches.ctStatusDnat(e);
        e.add(new MetaExpr(NFT_META_OIFNAME, NFT_REG_1));
        e.add(new PayloadExpr(NFT_REG_2, NFT_PAYLOAD_NETWORK_HEADER, Matches.IP_SADDR, 4));
        e.add(new LookupExpr(NftSets.HAIRPIN.set().name(), NFT_REG_1, 0, NftSets.HAIRPIN.id(), 0));
        e.add(new MasqExpr(0));
        return e;
    }

    /** {@code iifname . oifname @isolated drop}: each name fills a 16-byte register. */
    private static List<Expr> isolated() {
        List<Expr> e = new ArrayList<>();
        e.add(new MetaExpr(NFT_META_IIFNAME, NFT_REG_1));
        e.add(new MetaExpr(NFT_META_OIFNAME, NFT_REG_2));
        e.add(new LookupExpr(NftSets.ISOLATED.set().name(), NFT_REG_1, 0, NftSets.ISOLATED.id(), 0));
        e.add(ImmediateExpr.verdict(NF_DROP));
        return e;
    }
}
