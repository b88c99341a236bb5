package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_FAMILY;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_FLAGS;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_REG_ADDR_MAX;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_REG_ADDR_MIN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_REG_PROTO_MAX;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_REG_PROTO_MIN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_NAT_TYPE;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/**
 * {@code [ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]}: SNAT or DNAT to the address
 * (and port) held in registers. A register of 0 means "not given" and is not sent; flags 0 is not
 * sent either (nft sends NF_NAT_RANGE_PROTO_SPECIFIED only with a port).
 */
public record NatExpr(int type, int family, int regAddrMin, int regAddrMax, int regProtoMin, int regProtoMax, int flags) implements Expr {
    @Override
    public String name() {
        return "nat";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU32Be(NFTA_NAT_TYPE, type);
        w.attrU32Be(NFTA_NAT_FAMILY, family);
        if (regAddrMin != 0) {
            w.attrU32Be(NFTA_NAT_REG_ADDR_MIN, regAddrMin);
        }
        if (regAddrMax != 0) {
            w.attrU32Be(NFTA_NAT_REG_ADDR_MAX, regAddrMax);
        }
        if (regProtoMin != 0) {
            w.attrU32Be(NFTA_NAT_REG_PROTO_MIN, regProtoMin);
        }
        if (regProtoMax != 0) {
            w.attrU32Be(NFTA_NAT_REG_PROTO_MAX, regProtoMax);
        }
        if (flags != 0) {
            w.attrU32Be(NFTA_NAT_FLAGS, flags);
        }
    }

    static NatExpr decode(Attributes d) {
        return new NatExpr(Expr.u32(d, NFTA_NAT_TYPE, "NFTA_NAT_TYPE"), Expr.u32(d, NFTA_NAT_FAMILY, "NFTA_NAT_FAMILY"),
                d.u32Be(NFTA_NAT_REG_ADDR_MIN).orElse(0), d.u32Be(NFTA_NAT_REG_ADDR_MAX).orElse(0),
                d.u32Be(NFTA_NAT_REG_PROTO_MIN).orElse(0), d.u32Be(NFTA_NAT_REG_PROTO_MAX).orElse(0), d.u32Be(NFTA_NAT_FLAGS).orElse(0));
    }
}
