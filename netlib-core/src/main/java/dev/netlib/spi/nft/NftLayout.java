package dev.netlib.spi.nft;

import java.util.List;

/**
 * Where netlib's rules live: table {@code netlib} (family ip for NAT and forwarding, family bridge
 * for traffic switched inside one bridge), never any other table. Shared by every backend so the
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
    /**
     * Inter-container traffic inside one bridge never reaches the ip family (it is switched, not
     * routed; Docker relies on br_netfilter for that, which netlib does not load), so ICC is cut in
     * the bridge family's forward hook.
     */
    public static final NftChain BRIDGE_FORWARD = new NftChain("bridge", "forward", "filter", "forward", 0);

    /** Every chain netlib may create, in the order they are created (and reversed for deletion). */
    public static final List<NftChain> CHAINS = List.of(PREROUTING, OUTPUT, POSTROUTING, FORWARD, BRIDGE_FORWARD);

    private NftLayout() {}
}
