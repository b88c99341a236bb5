package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BITWISE_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BITWISE_LEN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BITWISE_MASK;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BITWISE_SREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_BITWISE_XOR;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import java.util.Arrays;

/** {@code [ bitwise reg DREG = ( reg SREG & MASK ) ^ XOR ]} (NFT_BITWISE_MASK_XOR, the op nft leaves implicit). */
public record BitwiseExpr(int sreg, int dreg, int length, byte[] mask, byte[] xor) implements Expr {
    public BitwiseExpr {
        mask = mask.clone();
        xor = xor.clone();
        if (mask.length != length || xor.length != length) {
            throw new IllegalArgumentException("mask and xor must be " + length + " bytes");
        }
    }

    @Override
    public byte[] mask() {
        return mask.clone();
    }

    @Override
    public byte[] xor() {
        return xor.clone();
    }

    @Override
    public String name() {
        return "bitwise";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_BITWISE_SREG, sreg);
        w.attrU32Be(NFTA_BITWISE_DREG, dreg);
        w.attrU32Be(NFTA_BITWISE_LEN, length);
        Expr.writeValue(w, NFTA_BITWISE_MASK, mask);
        Expr.writeValue(w, NFTA_BITWISE_XOR, xor);
    }

    static BitwiseExpr decode(Attributes d) {
        return new BitwiseExpr(Expr.u32(d, NFTA_BITWISE_SREG, "NFTA_BITWISE_SREG"), Expr.u32(d, NFTA_BITWISE_DREG, "NFTA_BITWISE_DREG"),
                Expr.u32(d, NFTA_BITWISE_LEN, "NFTA_BITWISE_LEN"), Expr.value(d, NFTA_BITWISE_MASK, "NFTA_BITWISE_MASK"),
                Expr.value(d, NFTA_BITWISE_XOR, "NFTA_BITWISE_XOR"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitwiseExpr b && b.sreg == sreg && b.dreg == dreg && b.length == length
                && Arrays.equals(b.mask, mask) && Arrays.equals(b.xor, xor);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mask) * 31 + Arrays.hashCode(xor) + sreg + 7 * dreg;
    }

    @Override
    public String toString() {
        return "BitwiseExpr[sreg=" + sreg + ", dreg=" + dreg + ", len=" + length + ", mask=" + Expr.hex(mask) + ", xor=" + Expr.hex(xor) + "]";
    }
}
