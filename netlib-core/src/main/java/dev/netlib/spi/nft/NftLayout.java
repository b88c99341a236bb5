package dev.netlib.spi.nft;

import java.util.ArrayList;
import java.util.List;

/**
 * Where netlib's rules live: table {@code ip netlib} (IPv4 only, as the rest of netlib's NAT), never
 * any other table. Shared by every backend so the fake and the kernel agree on the layout, on the
 * order objects are created in (which fixes their kernel handles) and on the nft commands.
 *
 * <p>The layout is fixed and made in one batch with the table: five chains, four sets and maps, and
 * six fixed rules that look packets up in them. What a process owns lives in the sets and maps as
 * elements (a published port, a network's hairpin masquerade, an isolated pair of bridges) or, for masquerade
 * and SNAT, as rules of chain {@code postrouting} carrying their key as comment; a change adds or
 * deletes exactly those. Lookups in the hash maps do not depend on how many elements they hold, and
 * the NAT chains see only the first packet of a connection.
 *
 * <pre>
 * table ip netlib {
 *   map published      { type inet_proto . inet_service : ipv4_addr . inet_service; }
 *   map published_addr { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }
 *   set hairpin        { type ifname . ipv4_addr; flags interval; }
 *   set isolated       { type ifname . ifname; }
 *   chain published    { dnat ip to ip daddr . meta l4proto . th dport map @published_addr
 *                        dnat ip to meta l4proto . th dport map @published }
 *   chain prerouting   { type nat hook prerouting priority -100; fib daddr type local jump published }
 *   chain output       { type nat hook output priority -100; ip daddr != 127.0.0.0/8 fib daddr type local jump published }
 *   chain postrouting  { type nat hook postrouting priority 100;
 *                        ct status dnat oifname . ip saddr @hairpin masquerade
 *                        (masquerade and SNAT rules) }
 *   chain forward      { type filter hook forward priority 0; iifname . oifname @isolated drop }
 * }
 * </pre>
 */
public final class NftLayout {
    /** The one table name netlib owns. */
    public static final String TABLE = "netlib";

    /** Published ports: the lookups of the two DNAT maps. */
    public static final NftChain DNAT = NftChain.regular("ip", "published");
    /** Entry to {@link #DNAT} for traffic arriving from elsewhere (priority dstnat). */
    public static final NftChain PREROUTING = new NftChain("ip", "prerouting", "nat", "prerouting", -100);
    /** Entry to {@link #DNAT} for connections the host itself opens (priority dstnat). */
    public static final NftChain OUTPUT = new NftChain("ip", "output", "nat", "output", -100);
    /** Hairpin lookup, then masquerade and SNAT rules (priority srcnat). */
    public static final NftChain POSTROUTING = new NftChain("ip", "postrouting", "nat", "postrouting", 100);
    /** Isolation between bridges and ICC (priority filter). */
    public static final NftChain FORWARD = new NftChain("ip", "forward", "filter", "forward", 0);

    /** Every chain, in creation order (a jump target before the chains jumping to it). */
    public static final List<NftChain> CHAINS = List.of(DNAT, PREROUTING, OUTPUT, POSTROUTING, FORWARD);

    /** Published ports for every local address: protocol . host port to target . port. */
    public static final NftSet PUBLISHED = new NftSet("published", "inet_proto . inet_service", "ipv4_addr . inet_service", false);
    /** Published ports for one host address: address . protocol . host port to target . port. */
    public static final NftSet PUBLISHED_ADDR = new NftSet("published_addr", "ipv4_addr . inet_proto . inet_service",
            "ipv4_addr . inet_service", false);
    /**
     * Hairpin masquerade of DNATed connections: out-interface . source network, one element per
     * bridge network ({@link HairpinRule}). An interval set (the kernel backs it with pipapo, whose
     * deletions cost time in the number of elements) holding networks, not published ports: one
     * element per port made each unpublish beside 1,000 ports cost 5-9 ms in the kernel.
     */
    public static final NftSet HAIRPIN = new NftSet("hairpin", "ifname . ipv4_addr", null, true);
    /** Dropped bridge pairs: in-interface . out-interface (isolation both ways, ICC as B . B). */
    public static final NftSet ISOLATED = new NftSet("isolated", "ifname . ifname", null, false);

    /** Every set and map, in creation order. */
    public static final List<NftSet> SETS = List.of(PUBLISHED, PUBLISHED_ADDR, HAIRPIN, ISOLATED);

    /** The fixed rules, in creation order (the host-address map before the wildcard one). */
    public static final List<NftRuleText> FIXED_RULES = List.of(
            new NftRuleText(DNAT, "dnat ip to ip daddr . meta l4proto . th dport map @published_addr"),
            new NftRuleText(DNAT, "dnat ip to meta l4proto . th dport map @published"),
            new NftRuleText(PREROUTING, "fib daddr type local jump published"),
            new NftRuleText(OUTPUT, "ip daddr != 127.0.0.0/8 fib daddr type local jump published"),
            new NftRuleText(POSTROUTING, "ct status dnat oifname . ip saddr @hairpin masquerade"),
            new NftRuleText(FORWARD, "iifname . oifname @isolated drop"));

    /**
     * The first handle the kernel gives a rule added after the layout: chains, sets and rules of a
     * table share one handle counter starting at 1 (net/netfilter/nf_tables_api.c, nf_tables_alloc_handle),
     * and the layout is created chains first, then sets, then fixed rules.
     */
    public static final long FIRST_RULE_HANDLE = CHAINS.size() + SETS.size() + FIXED_RULES.size() + 1;

    /** The commands that create the layout, in the order a backend sends them. */
    public static List<String> createCommands() {
        List<String> c = new ArrayList<>();
        c.add("nft add table ip " + TABLE);
        for (NftChain ch : CHAINS) {
            c.add(ch.addCommand());
        }
        for (NftSet s : SETS) {
            c.add(s.addCommand());
        }
        for (NftRuleText r : FIXED_RULES) {
            c.add(r.addCommand());
        }
        return c;
    }

    /** Equivalent to: {@code nft delete table ip netlib} (sent only once nothing of anyone is left in it). */
    public static String deleteCommand() {
        return "nft delete table ip " + TABLE;
    }

    private NftLayout() {}
}
