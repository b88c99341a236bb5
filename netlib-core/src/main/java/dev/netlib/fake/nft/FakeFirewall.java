package dev.netlib.fake.nft;

import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallPlan;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.NftChain;
import dev.netlib.spi.nft.NftRuleText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * netlib's nftables table in memory, per namespace: what {@code FakeKernel} answers for
 * {@code Backend.applyFirewall} and {@code firewallRules}. Like the kernel's nf_tables transaction,
 * a list of changes is all-or-nothing: the first invalid change (EEXIST, ENOENT) leaves the rules as
 * they were. Chains exist while they hold a rule, the table while it holds a chain, as in the
 * Linux backend.
 */
public final class FakeFirewall {
    private final Map<Object, List<FirewallRule>> rules = new java.util.WeakHashMap<>();
    private long generation;

    /**
     * Applies the changes atomically in the namespace identified by {@code ns} (its inode, or the
     * fake's namespace object: kept weakly, so a namespace that is gone takes its rules with it).
     */
    public synchronized FirewallPlan apply(Object ns, List<FirewallChange> changes) {
        FirewallPlan plan = FirewallPlan.of(rules(ns), changes); // throws before anything changes
        if (plan.after().isEmpty()) {
            rules.remove(ns);
        } else {
            rules.put(ns, new ArrayList<>(plan.after()));
        }
        generation++;
        return plan;
    }

    /** The installed rules in the order they were added. */
    public synchronized List<FirewallRule> rules(Object ns) {
        return List.copyOf(rules.getOrDefault(ns, List.of()));
    }

    /** The chains that exist: those holding at least one kernel rule. */
    public synchronized Set<NftChain> chains(Object ns) {
        Set<NftChain> s = new LinkedHashSet<>();
        Set<NftChain> used = FirewallPlan.chains(rules(ns));
        for (NftChain c : dev.netlib.spi.nft.NftLayout.CHAINS) {
            if (used.contains(c)) {
                s.add(c);
            }
        }
        return s;
    }

    /** The families in which table {@code netlib} exists ({@code ip}, {@code bridge}). */
    public synchronized Set<String> tables(Object ns) {
        Set<String> s = new LinkedHashSet<>();
        chains(ns).forEach(c -> s.add(c.family()));
        return s;
    }

    /** Every kernel rule, as {@code nft list} would print it (entry jumps included), in the order added. */
    public synchronized List<NftRuleText> kernelRules(Object ns) {
        List<NftRuleText> all = new ArrayList<>();
        for (NftChain c : chains(ns)) {
            dev.netlib.spi.nft.NftLayout.entryRule(c).ifPresent(all::add);
        }
        rules(ns).forEach(r -> all.addAll(r.expand()));
        return all;
    }

    /** Forgets a namespace's table (the namespace was deleted). */
    public synchronized void dropNamespace(Object ns) {
        rules.remove(ns);
    }

    /** Bumped by every successful change, like NFTA_GEN_ID. */
    public synchronized long generation() {
        return generation;
    }
}
