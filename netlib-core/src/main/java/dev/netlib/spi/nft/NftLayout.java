package dev.netlib.spi.nft;

import java.util.List;

/**
 * Where netlib's rules live: table {@code netlib} (family ip), never any other table. Shared by every backend so the
 * fake and the kernel agree on the layout and on the nft commands that describe it.
 */
public final class NftLayout {
    /** The one table name netlib owns (in each family it uses). */
    public static final String TABLE = "netlib";

    /** DNAT of traffic arriving from elsewhere (priority dstnat). */
    public static final NftChain PREROUTING = new NftChain("ip", "prerouting", "nat", "prerouting", -100);
    /** DNAT of traffic the host itself sends to a published port (priority dstnat). */
    public static final NftChain OUTPUT = new NftChain("ip", "output", "nat", "output", -100);
    /** Masquerade, SNAT and hairpin (priority srcnat). */
    public static final NftChain POSTROUTING = new NftChain("ip", "postrouting", "nat", "postrouting", 100);
    /** Isolation between bridges: routed traffic (priority filter). */
    public static final NftChain FORWARD = new NftChain("ip", "forward", "filter", "forward", 0);

    /** Every chain netlib may create, in the order they are created (and reversed for deletion). */
    public static final List<NftChain> CHAINS = List.of(PREROUTING, OUTPUT, POSTROUTING, FORWARD);

    private NftLayout() {}
}
