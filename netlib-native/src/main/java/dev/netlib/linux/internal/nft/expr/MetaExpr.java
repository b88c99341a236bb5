package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_META_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_META_KEY;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/** {@code [ meta load KEY => reg DREG ]}: packet metadata such as NFT_META_L4PROTO or NFT_META_OIFNAME. */
public record MetaExpr(int key, int dreg) implements Expr {
    @Override
    public String name() {
        return "meta";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_META_KEY, key); // nft writes the key first
        w.attrU32Be(NFTA_META_DREG, dreg);
    }

    static MetaExpr decode(Attributes d) {
        return new MetaExpr(Expr.u32(d, NFTA_META_KEY, "NFTA_META_KEY"), Expr.u32(d, NFTA_META_DREG, "NFTA_META_DREG"));
    }
}
