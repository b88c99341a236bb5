package dev.netlib.spi.nft;

import java.util.List;

/**
 * One rule netlib owns in its nftables table, as a backend receives it: semantic (what to NAT or
 * drop), not expressions. It is made of elements of the layout's sets and maps ({@link #elements()})
 * and, for masquerade and SNAT, of kernel rules carrying its key as comment ({@link #expand()}); a
 * backend adds or removes all of them in one atomic batch. Rules are values: two equal rules are
 * the same rule, and adding one that is already installed fails with EEXIST.
 */
public sealed interface FirewallRule permits MasqueradeRule, SnatRule, DnatRule, HairpinRule, IsolationRule, IccRule {

    /** The kernel rules this rule consists of, in the order they are added (empty for element-only rules). */
    List<NftRuleText> expand();

    /** The set and map elements this rule consists of (empty for rule-only rules). */
    default List<NftElement> elements() {
        return List.of();
    }

    /** True if the rule only does something when the namespace routes packets (net.ipv4.ip_forward=1). */
    boolean needsForwarding();

    /** A short description for logs and error messages. */
    String describe();
}
