package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_PAYLOAD_BASE;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_PAYLOAD_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_PAYLOAD_LEN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_PAYLOAD_OFFSET;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/** {@code [ payload load LEN b @ BASE header + OFFSET => reg DREG ]}: packet bytes into a register. */
public record PayloadExpr(int dreg, int base, int offset, int length) implements Expr {
    @Override
    public String name() {
        return "payload";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_PAYLOAD_DREG, dreg);
        w.attrU32Be(NFTA_PAYLOAD_BASE, base);
        w.attrU32Be(NFTA_PAYLOAD_OFFSET, offset);
        w.attrU32Be(NFTA_PAYLOAD_LEN, length);
    }

    static PayloadExpr decode(Attributes d) {
        return new PayloadExpr(Expr.u32(d, NFTA_PAYLOAD_DREG, "NFTA_PAYLOAD_DREG"), Expr.u32(d, NFTA_PAYLOAD_BASE, "NFTA_PAYLOAD_BASE"),
                Expr.u32(d, NFTA_PAYLOAD_OFFSET, "NFTA_PAYLOAD_OFFSET"), Expr.u32(d, NFTA_PAYLOAD_LEN, "NFTA_PAYLOAD_LEN"));
    }
}
