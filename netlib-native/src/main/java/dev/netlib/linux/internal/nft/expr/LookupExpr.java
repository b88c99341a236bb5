package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_LOOKUP_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_LOOKUP_FLAGS;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_LOOKUP_SET;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_LOOKUP_SET_ID;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_LOOKUP_SREG;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/**
 * {@code [ lookup reg SREG set NAME dreg DREG ]}: membership in a named set, or a map lookup
 * into DREG (the fixed rules of netlib's layout). Attributes in libnftnl's order: SREG, DREG, SET, SET_ID, FLAGS.
 *
 * @param dreg 0 for a plain set (no data register sent)
 */
public record LookupExpr(String set, int sreg, int dreg, int setId, int flags) implements Expr {
    @Override
    public String name() {
        return "lookup";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_LOOKUP_SREG, sreg);
        if (dreg != 0) {
            w.attrU32Be(NFTA_LOOKUP_DREG, dreg);
        }
        w.attrString(NFTA_LOOKUP_SET, set);
        w.attrU32Be(NFTA_LOOKUP_SET_ID, setId);
        if (flags != 0) {
            w.attrU32Be(NFTA_LOOKUP_FLAGS, flags);
        }
    }

    static LookupExpr decode(Attributes d) {
        return new LookupExpr(d.string(NFTA_LOOKUP_SET).orElse(null), Expr.u32(d, NFTA_LOOKUP_SREG, "NFTA_LOOKUP_SREG"),
                d.u32Be(NFTA_LOOKUP_DREG).orElse(0), d.u32Be(NFTA_LOOKUP_SET_ID).orElse(0), d.u32Be(NFTA_LOOKUP_FLAGS).orElse(0));
    }
}
