package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_MASQ_FLAGS;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/** {@code [ masq ]}: source NAT to the outgoing interface's primary address; flags 0 are not sent (nft sends an empty NFTA_EXPR_DATA). */
public record MasqExpr(int flags) implements Expr {
    @Override
    public String name() {
        return "masq";
    }

    @Override
    public void writeData(MessageWriter w) {
        if (flags != 0) {
            w.attrU32Be(NFTA_MASQ_FLAGS, flags);
        }
    }

    static MasqExpr decode(Attributes d) {
        return new MasqExpr(d == null ? 0 : d.u32Be(NFTA_MASQ_FLAGS).orElse(0));
    }
}
