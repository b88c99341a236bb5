package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_CT_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_CT_KEY;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/** {@code [ ct load KEY => reg DREG ]}: conntrack state of the packet, e.g. NFT_CT_STATUS (IPS_* bits, host order). */
public record CtExpr(int key, int dreg) implements Expr {
    @Override
    public String name() {
        return "ct";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_CT_KEY, key); // nft writes the key first
        w.attrU32Be(NFTA_CT_DREG, dreg);
    }

    static CtExpr decode(Attributes d) {
        return new CtExpr(Expr.u32(d, NFTA_CT_KEY, "NFTA_CT_KEY"), Expr.u32(d, NFTA_CT_DREG, "NFTA_CT_DREG"));
    }
}
