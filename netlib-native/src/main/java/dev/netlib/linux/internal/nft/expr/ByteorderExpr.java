package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BYTEORDER_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BYTEORDER_LEN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BYTEORDER_OP;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BYTEORDER_SIZE;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BYTEORDER_SREG;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/**
 * {@code [ byteorder reg 10 = hton(reg 10, 2, 1) ]}: converts {@code len} bytes in units of
 * {@code size}. nft puts one before a lookup in an interval set whose key holds a host-order field
 * ({@code meta l4proto}), as pipapo compares keys byte by byte.
 *
 * @param op NFT_BYTEORDER_HTON or NFT_BYTEORDER_NTOH
 */
public record ByteorderExpr(int sreg, int dreg, int op, int len, int size) implements Expr {
    @Override
    public String name() {
        return "byteorder";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_BYTEORDER_SREG, sreg);
        w.attrU32Be(NFTA_BYTEORDER_DREG, dreg);
        w.attrU32Be(NFTA_BYTEORDER_OP, op);
        w.attrU32Be(NFTA_BYTEORDER_LEN, len);
        w.attrU32Be(NFTA_BYTEORDER_SIZE, size);
    }

    static ByteorderExpr decode(Attributes d) {
        return new ByteorderExpr(Expr.u32(d, NFTA_BYTEORDER_SREG, "NFTA_BYTEORDER_SREG"), Expr.u32(d, NFTA_BYTEORDER_DREG, "NFTA_BYTEORDER_DREG"),
                Expr.u32(d, NFTA_BYTEORDER_OP, "NFTA_BYTEORDER_OP"), Expr.u32(d, NFTA_BYTEORDER_LEN, "NFTA_BYTEORDER_LEN"),
                Expr.u32(d, NFTA_BYTEORDER_SIZE, "NFTA_BYTEORDER_SIZE"));
    }
}
