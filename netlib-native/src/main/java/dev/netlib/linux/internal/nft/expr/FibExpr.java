package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_FIB_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_FIB_FLAGS;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_FIB_RESULT;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/**
 * {@code [ fib daddr type => reg 1 ]}: a routing lookup; with NFTA_FIB_F_DADDR and
 * NFT_FIB_RESULT_ADDRTYPE it yields the RTN_* type of the destination (RTN_LOCAL for the host's
 * own addresses: Docker's {@code -m addrtype --dst-type LOCAL}).
 */
public record FibExpr(int flags, int result, int dreg) implements Expr {
    @Override
    public String name() {
        return "fib";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_FIB_FLAGS, flags); // nft's order: flags, result, dreg
        w.attrU32Be(NFTA_FIB_RESULT, result);
        w.attrU32Be(NFTA_FIB_DREG, dreg);
    }

    static FibExpr decode(Attributes d) {
        return new FibExpr(Expr.u32(d, NFTA_FIB_FLAGS, "NFTA_FIB_FLAGS"), Expr.u32(d, NFTA_FIB_RESULT, "NFTA_FIB_RESULT"),
                Expr.u32(d, NFTA_FIB_DREG, "NFTA_FIB_DREG"));
    }
}
