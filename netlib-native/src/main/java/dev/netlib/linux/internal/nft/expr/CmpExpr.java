package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_CMP_DATA;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_CMP_OP;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_CMP_SREG;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import java.util.Arrays;

/** {@code [ cmp OP reg SREG DATA ]}: compares a register with bytes (NFT_CMP_EQ, NEQ, LT, LTE, GT, GTE); the rule stops when false. */
public record CmpExpr(int sreg, int op, byte[] data) implements Expr {
    public CmpExpr {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String name() {
        return "cmp";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_CMP_SREG, sreg);
        w.attrU32Be(NFTA_CMP_OP, op);
        Expr.writeValue(w, NFTA_CMP_DATA, data);
    }

    static CmpExpr decode(Attributes d) {
        return new CmpExpr(Expr.u32(d, NFTA_CMP_SREG, "NFTA_CMP_SREG"), Expr.u32(d, NFTA_CMP_OP, "NFTA_CMP_OP"), Expr.value(d, NFTA_CMP_DATA, "NFTA_CMP_DATA"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CmpExpr c && c.sreg == sreg && c.op == op && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sreg + op) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CmpExpr[sreg=" + sreg + ", op=" + op + ", data=" + Expr.hex(data) + "]";
    }
}
