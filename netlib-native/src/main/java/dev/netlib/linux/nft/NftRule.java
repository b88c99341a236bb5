package dev.netlib.linux.nft;

import dev.netlib.linux.nft.expr.Expr;
import dev.netlib.spi.nft.NftChain;
import java.util.List;

/**
 * One kernel rule: its chain, its expressions, and the {@code nft list} text it corresponds to.
 * {@code handle} is the kernel's rule handle (0 until known: learned through NLM_F_ECHO or a dump).
 */
public record NftRule(NftChain chain, List<Expr> expressions, String text, long handle) {
    public NftRule {
        expressions = List.copyOf(expressions);
    }

    public NftRule withHandle(long h) {
        return new NftRule(chain, expressions, text, h);
    }
}
