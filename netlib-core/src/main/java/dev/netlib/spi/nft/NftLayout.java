package dev.netlib.spi.nft;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where netlib's rules live: table {@code netlib} of family ip, never any other table. Shared by
 * every backend so the fake and the kernel agree on the layout and on the nft commands that
 * describe it.
 *
 * <p>Published ports are rules of the regular chain {@code published} (Docker's DOCKER chain), entered
 * from prerouting (traffic from elsewhere) and output (the host's own connections) by one jump
 * each for local destinations: a mapping is one kernel rule, and packets to non-local addresses
 * never walk the mappings. The two entry chains exist exactly while {@code dnat} does.
 */
public final class NftLayout {
    /** The one table name netlib owns. */
    public static final String TABLE = "netlib";

    /** Published ports: one rule per mapping. */
    public static final NftChain DNAT = NftChain.regular("ip", "published");
    /** Entry to {@link #DNAT} for traffic arriving from elsewhere (priority dstnat). */
    public static final NftChain PREROUTING = new NftChain("ip", "prerouting", "nat", "prerouting", -100);
    /** Entry to {@link #DNAT} for connections the host itself opens (priority dstnat). */
    public static final NftChain OUTPUT = new NftChain("ip", "output", "nat", "output", -100);
    /** Masquerade, SNAT and hairpin (priority srcnat). */
    public static final NftChain POSTROUTING = new NftChain("ip", "postrouting", "nat", "postrouting", 100);
    /** Isolation between bridges and ICC (priority filter). */
    public static final NftChain FORWARD = new NftChain("ip", "forward", "filter", "forward", 0);

    /** Every chain netlib may create, in creation order (a jump target before the chains jumping to it); deleted in reverse. */
    public static final List<NftChain> CHAINS = List.of(DNAT, PREROUTING, OUTPUT, POSTROUTING, FORWARD);

    /**
     * The fixed rule of an entry chain, added with the chain and deleted with it: loopback is never
     * DNATed from output (it cannot be routed to a container without route_localnet, as with Docker).
     */
    private static final Map<NftChain, NftRuleText> ENTRY = Map.of(
            PREROUTING, new NftRuleText(PREROUTING, "fib daddr type local jump published"),
            OUTPUT, new NftRuleText(OUTPUT, "ip daddr != 127.0.0.0/8 fib daddr type local jump published"));

    /** The chains that exist because {@code chain} does (the entries of {@link #DNAT}). */
    public static List<NftChain> companions(NftChain chain) {
        return chain.equals(DNAT) ? List.of(PREROUTING, OUTPUT) : List.of();
    }

    /** The fixed jump rule an entry chain is created with. */
    public static Optional<NftRuleText> entryRule(NftChain chain) {
        return Optional.ofNullable(ENTRY.get(chain));
    }

    private NftLayout() {}
}
