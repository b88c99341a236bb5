package dev.netlib.spi.nft;

import java.util.List;

/**
 * One rule netlib owns in its nftables table, as a backend receives it: semantic (what to NAT or
 * drop), not expressions. A rule expands to one or more kernel rules ({@link #expand()}); a backend
 * adds or removes all of them in one atomic batch. Rules are values: two equal rules are the same
 * rule, and adding one that is already installed fails with EEXIST.
 */
public sealed interface FirewallRule permits MasqueradeRule, SnatRule, DnatRule, IsolationRule, IccRule {

    /** The kernel rules this rule consists of, in the order they are added. */
    List<NftRuleText> expand();

    /** The chains its kernel rules go to (what {@link #expand()} would say, without rendering text). */
    default java.util.Set<NftChain> chains() {
        java.util.Set<NftChain> s = new java.util.LinkedHashSet<>();
        expand().forEach(t -> s.add(t.chain()));
        return s;
    }

    /** True if the rule only does something when the namespace routes packets (net.ipv4.ip_forward=1). */
    boolean needsForwarding();

    /** A short description for logs and error messages. */
    String describe();
}
