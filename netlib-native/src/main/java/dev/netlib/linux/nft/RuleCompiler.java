package dev.netlib.linux.nft;

import static dev.netlib.linux.nft.NftConstants.*;

import dev.netlib.linux.nft.expr.Expr;
import dev.netlib.linux.nft.expr.ImmediateExpr;
import dev.netlib.linux.nft.expr.MasqExpr;
import dev.netlib.linux.nft.expr.NatExpr;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.NftRuleText;
import dev.netlib.spi.nft.SnatRule;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a semantic {@link FirewallRule} into kernel rules with the expressions nft would generate
 * for the same text ({@link FirewallRule#expand()}): one compiled rule per text line, same order,
 * same chain, so logs, dry runs and the kernel agree.
 */
public final class RuleCompiler {
    private RuleCompiler() {}

    public static List<NftRule> compile(FirewallRule rule) {
        List<NftRuleText> texts = rule.expand();
        List<List<Expr>> exprs;
        if (rule instanceof MasqueradeRule m) {
            exprs = List.of(sourceNat(m.source(), m.outInterface(), m.negateOut(), null));
        } else if (rule instanceof SnatRule s) {
            exprs = List.of(sourceNat(s.source(), s.outInterface(), s.negateOut(), s));
        } else if (rule instanceof DnatRule d) {
            exprs = dnat(d);
        } else if (rule instanceof IsolationRule i) {
            exprs = List.of(drop(i.bridgeA(), i.bridgeB()), drop(i.bridgeB(), i.bridgeA()));
        } else if (rule instanceof IccRule c) {
            exprs = List.of(drop(c.bridge(), c.bridge()));
        } else {
            throw new IllegalArgumentException("unknown rule " + rule);
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

    private static List<Expr> drop(String in, String out) {
        List<Expr> e = new ArrayList<>();
        Matches.ifname(e, NFT_META_IIFNAME, in, false);
        Matches.ifname(e, NFT_META_OIFNAME, out, false);
        e.add(ImmediateExpr.verdict(NF_DROP));
        return e;
    }

    /** Same structure as {@link DnatRule#expand()}: the mapping rules in chain published, then the hairpin rules. */
    private static List<List<Expr>> dnat(DnatRule d) {
        List<List<Expr>> map = new ArrayList<>();
        List<List<Expr>> post = new ArrayList<>();
        int proto = d.protocol().number();
        if (d.hostPortFirst() == d.hostPortLast() || d.hostPortFirst() == d.targetPort()) {
            boolean single = d.hostPortFirst() == d.hostPortLast();
            add(d, map, post, d.hostPortFirst(), d.hostPortLast(), single ? d.targetPort() : 0, d.targetPort(),
                    d.targetPort() + d.hostPortLast() - d.hostPortFirst(), proto);
        } else {
            for (int i = 0; i <= d.hostPortLast() - d.hostPortFirst(); i++) {
                add(d, map, post, d.hostPortFirst() + i, d.hostPortFirst() + i, d.targetPort() + i, d.targetPort() + i,
                        d.targetPort() + i, proto);
            }
        }
        List<List<Expr>> all = new ArrayList<>(map);
        all.addAll(post);
        return all;
    }

    private static void add(DnatRule d, List<List<Expr>> map, List<List<Expr>> post,
                            int first, int last, int toPort, int tFirst, int tLast, int proto) {
        List<Expr> e = new ArrayList<>();
        if (d.hostAddress() != null) {
            Matches.ipAddress(e, Matches.IP_DADDR, d.hostAddress());
        }
        Matches.dport(e, proto, first, last);
        e.add(ImmediateExpr.value(NFT_REG_1, d.target().getAddress()));
        if (toPort != 0) {
            e.add(ImmediateExpr.value(NFT_REG_2, Matches.port(toPort)));
            e.add(new NatExpr(NFT_NAT_DNAT, NFPROTO_IPV4, NFT_REG_1, 0, NFT_REG_2, 0, NF_NAT_RANGE_PROTO_SPECIFIED));
        } else {
            e.add(new NatExpr(NFT_NAT_DNAT, NFPROTO_IPV4, NFT_REG_1, 0, 0, 0, 0));
        }
        map.add(e);
        if (d.hairpinNetwork() != null) {
            List<Expr> h = new ArrayList<>();
            Matches.ipPrefix(h, Matches.IP_SADDR, d.hairpinNetwork(), false);
            Matches.ipAddress(h, Matches.IP_DADDR, d.target());
            Matches.dport(h, proto, tFirst, tLast);
            Matches.ctStatusDnat(h);
            h.add(new MasqExpr(0));
            post.add(h);
        }
    }

    /**
     * The fixed jump rule of an entry chain ({@link NftLayout#entryRule}): {@code fib daddr type
     * local jump published}, in output never for 127.0.0.0/8.
     */
    public static java.util.Optional<NftRule> entry(dev.netlib.spi.nft.NftChain chain) {
        return NftLayout.entryRule(chain).map(t -> {
            List<Expr> e = new ArrayList<>();
            if (chain.equals(NftLayout.OUTPUT)) {
                Matches.ipPrefix(e, Matches.IP_DADDR, IpPrefix.parse("127.0.0.0/8"), true);
            }
            Matches.fibDaddrLocal(e);
            e.add(ImmediateExpr.jump(NFT_JUMP, NftLayout.DNAT.name()));
            return new NftRule(chain, e, t.text(), null, 0);
        });
    }

    /** The chain layout's chains, for code that walks them. */
    static List<dev.netlib.spi.nft.NftChain> chains() {
        return NftLayout.CHAINS;
    }
}
