package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_COUNTER_BYTES;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_COUNTER_PACKETS;

import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;

/** {@code [ counter pkts P bytes B ]}: counts what reaches it (both u64, big-endian). */
public record CounterExpr(long bytes, long packets) implements Expr {
    @Override
    public String name() {
        return "counter";
    }

    @Override
    public void writeData(MessageWriter w) {
        w.attrU64Be(NFTA_COUNTER_BYTES, bytes);
        w.attrU64Be(NFTA_COUNTER_PACKETS, packets);
    }

    static CounterExpr decode(Attributes d) {
        return new CounterExpr(d == null ? 0 : d.u64Be(NFTA_COUNTER_BYTES).orElse(0), d == null ? 0 : d.u64Be(NFTA_COUNTER_PACKETS).orElse(0));
    }
}
