package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_DATA_VALUE;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_DATA_VERDICT;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_IMMEDIATE_DATA;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_IMMEDIATE_DREG;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_VERDICT_CHAIN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_VERDICT_CODE;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_REG_VERDICT;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.AttributeNames;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.nft.uapi.NftConstants;
import java.util.Arrays;

/**
 * {@code [ immediate reg DREG VALUE ]} loads constant bytes (a NAT address or port); with DREG =
 * NFT_REG_VERDICT it is a verdict: {@code drop} (NF_DROP), {@code accept}, or {@code jump CHAIN}.
 *
 * @param data         the value, or null for a verdict
 * @param verdictCode  NF_DROP, NF_ACCEPT, NFT_JUMP...; ignored when {@code data} is set
 * @param verdictChain the chain of a jump/goto, else null
 */
public record ImmediateExpr(int dreg, byte[] data, int verdictCode, String verdictChain) implements Expr {
    public ImmediateExpr {
        data = data == null ? null : data.clone();
    }

    /** Loads {@code value} into {@code dreg}. */
    public static ImmediateExpr value(int dreg, byte[] value) {
        return new ImmediateExpr(dreg, value, 0, null);
    }

    /** A verdict without chain: {@code drop} is {@code verdict(NF_DROP)}. */
    public static ImmediateExpr verdict(int code) {
        return new ImmediateExpr(NFT_REG_VERDICT, null, code, null);
    }

    /** {@code jump CHAIN} (NFT_JUMP) or {@code goto CHAIN} (NFT_GOTO). */
    public static ImmediateExpr jump(int code, String chain) {
        return new ImmediateExpr(NFT_REG_VERDICT, null, code, chain);
    }

    public boolean isVerdict() {
        return data == null;
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public String name() {
        return "immediate";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_IMMEDIATE_DREG, dreg);
        int d = w.beginNested(NFTA_IMMEDIATE_DATA);
        if (data != null) {
            w.attrBytes(NFTA_DATA_VALUE, data);
        } else {
            int v = w.beginNested(NFTA_DATA_VERDICT);
            w.attrU32Be(NFTA_VERDICT_CODE, verdictCode);
            if (verdictChain != null) {
                w.attrString(NFTA_VERDICT_CHAIN, verdictChain);
            }
            w.endNested(v);
        }
        w.endNested(d);
    }

    static ImmediateExpr decode(Attributes d) {
        int dreg = Expr.u32(d, NFTA_IMMEDIATE_DREG, "NFTA_IMMEDIATE_DREG");
        Attributes data = d.find(NFTA_IMMEDIATE_DATA).orElseThrow(() -> new MalformedMessageException(d.path() + ": no NFTA_IMMEDIATE_DATA"))
                .nested(Expr.names("NFTA_DATA_"));
        if (data.has(NFTA_DATA_VERDICT)) {
            Attributes v = data.find(NFTA_DATA_VERDICT).get().nested(Expr.names("NFTA_VERDICT_"));
            return new ImmediateExpr(dreg, null, Expr.u32(v, NFTA_VERDICT_CODE, "NFTA_VERDICT_CODE"), v.string(NFTA_VERDICT_CHAIN).orElse(null));
        }
        return value(dreg, data.bytes(NFTA_DATA_VALUE).orElseThrow(() -> new MalformedMessageException(data.path() + ": no value")));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImmediateExpr i && i.dreg == dreg && Arrays.equals(i.data, data)
                && (data != null || (i.verdictCode == verdictCode && java.util.Objects.equals(i.verdictChain, verdictChain)));
    }

    @Override
    public int hashCode() {
        return dreg * 31 + (data != null ? Arrays.hashCode(data) : verdictCode);
    }

    @Override
    public String toString() {
        return data != null ? "ImmediateExpr[reg " + dreg + " " + Expr.hex(data) + "]"
                : "ImmediateExpr[verdict " + verdictCode + (verdictChain == null ? "" : " " + verdictChain) + "]";
    }
}
