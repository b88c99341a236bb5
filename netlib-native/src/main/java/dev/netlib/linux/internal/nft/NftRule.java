package dev.netlib.linux.internal.nft;

import dev.netlib.linux.internal.nft.expr.Expr;
import dev.netlib.spi.nft.NftChain;
import java.util.List;

/**
 * One kernel rule: its chain, its expressions, the {@code nft list} text it corresponds to, and
 * the comment stored with it (NFTA_RULE_USERDATA; null for none). {@code handle} is the kernel's
 * rule handle (0 until known: learned through NLM_F_ECHO or a dump).
 */
public record NftRule(NftChain chain, List<Expr> expressions, String text, String comment, long handle) {
    public NftRule {
        expressions = List.copyOf(expressions);
    }

    public NftRule withHandle(long h) {
        return new NftRule(chain, expressions, text, comment, h);
    }
}
