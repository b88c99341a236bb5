package dev.netlib.spi.nft;

import java.util.Objects;

/** Adding or removing one {@link FirewallRule}; a backend applies a list of them as one atomic batch. */
public record FirewallChange(Kind kind, FirewallRule rule) {
    /** Whether the rule is added or deleted. */
    public enum Kind { ADD, DELETE }

    public FirewallChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rule, "rule");
    }

    /** Adds {@code rule}. */
    public static FirewallChange add(FirewallRule rule) {
        return new FirewallChange(Kind.ADD, rule);
    }

    /** Deletes {@code rule}. */
    public static FirewallChange delete(FirewallRule rule) {
        return new FirewallChange(Kind.DELETE, rule);
    }
}
