package dev.netlib.fake.nft;

import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallPlan;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.FirewallState;
import dev.netlib.spi.nft.NftElement;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.NftRuleText;
import dev.netlib.spi.nft.RuleKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * netlib's nftables table in memory, per namespace: what {@code FakeKernel} answers for
 * {@code Backend.applyFirewall} and {@code firewallRules}. It keeps what the kernel keeps (elements
 * by set and key with their comments, keyed rules with handles numbered as the kernel numbers them)
 * and plans every change with the same {@link FirewallPlan} as the Linux backend, so both agree on
 * EEXIST/ENOENT, on the commands and on the table's life: created with its layout by the first
 * addition, removed when the last element or rule is gone. A list of changes is all-or-nothing.
 */
public final class FakeFirewall {
    private final Map<Object, Table> tables = new java.util.WeakHashMap<>();
    private long generation;

    /** One namespace's table ip netlib. */
    private static final class Table implements FirewallState {
        final Map<NftElement.Id, NftElement> elements = new LinkedHashMap<>();
        final Map<FirewallRule, List<Long>> keyed = new LinkedHashMap<>();
        long nextHandle = NftLayout.FIRST_RULE_HANDLE;

        @Override
        public boolean tableExists() {
            return true;
        }

        @Override
        public List<Long> handles(FirewallRule rule) {
            return keyed.getOrDefault(rule, List.of());
        }

        @Override
        public String elementComment(NftElement element) {
            NftElement e = elements.get(element.id());
            return e == null ? null : e.comment();
        }

        boolean isEmpty() {
            return elements.isEmpty() && keyed.isEmpty();
        }
    }

    private static final FirewallState NO_TABLE = new FirewallState() {
        @Override
        public boolean tableExists() {
            return false;
        }

        @Override
        public List<Long> handles(FirewallRule rule) {
            return List.of();
        }

        @Override
        public String elementComment(NftElement element) {
            return null;
        }
    };

    /**
     * Applies the changes atomically in the namespace identified by {@code ns} (its inode, or the
     * fake's namespace object: kept weakly, so a namespace that is gone takes its table with it).
     * Returns the plan that was applied, with the table's removal when it was left empty.
     */
    public synchronized FirewallPlan apply(Object ns, List<FirewallChange> changes) {
        Table current = tables.get(ns);
        FirewallPlan plan = FirewallPlan.of(current == null ? NO_TABLE : current, changes); // throws before anything changes
        if (plan.operations().isEmpty()) {
            return plan;
        }
        Table t = plan.createTable() ? new Table() : current;
        Map<FirewallRule, List<Long>> handles = new LinkedHashMap<>();
        for (FirewallPlan.Operation op : plan.operations()) {
            if (op instanceof FirewallPlan.AddElement a) {
                t.elements.put(a.element().id(), a.element());
            } else if (op instanceof FirewallPlan.DeleteElement d) {
                t.elements.remove(d.element().id());
            } else if (op instanceof FirewallPlan.DeleteRule d) {
                t.keyed.remove(RuleKeys.parse(d.rule().comment()));
            } else if (op instanceof FirewallPlan.AddRule a) {
                handles.computeIfAbsent(RuleKeys.parse(a.rule().comment()), k -> new ArrayList<>()).add(t.nextHandle++);
            }
        }
        handles.forEach((r, h) -> t.keyed.put(r, List.copyOf(h)));
        generation++;
        if (t.isEmpty()) {
            tables.remove(ns);
            return plan.withTableDeleted();
        }
        tables.put(ns, t);
        return plan;
    }

    /**
     * The installed rules: keyed rules in the order added, then the rules of the elements, by key
     * (the order the Linux backend reads them back in).
     */
    public synchronized List<FirewallRule> rules(Object ns) {
        Table t = tables.get(ns);
        if (t == null) {
            return List.of();
        }
        List<FirewallRule> out = new ArrayList<>(t.keyed.keySet());
        t.elements.values().stream().map(e -> e.comment()).distinct().sorted(Comparator.naturalOrder())
                .map(RuleKeys::parse).filter(r -> !out.contains(r)).forEach(out::add);
        return out;
    }

    /** The installed rules that hold a place one of {@code rules} takes ({@link FirewallState#holders}). */
    public synchronized List<FirewallRule> holding(Object ns, List<FirewallRule> rules) {
        Table t = tables.get(ns);
        return t == null ? List.of() : t.holders(rules);
    }

    /** True if table ip netlib exists in the namespace. */
    public synchronized boolean hasTable(Object ns) {
        return tables.containsKey(ns);
    }

    /** The elements of the namespace's sets and maps, in the order added. */
    public synchronized List<NftElement> elements(Object ns) {
        Table t = tables.get(ns);
        return t == null ? List.of() : List.copyOf(t.elements.values());
    }

    /** The keyed kernel rules (masquerade, SNAT) as {@code nft list} prints them, in the order added; fixed rules excluded. */
    public synchronized List<NftRuleText> kernelRules(Object ns) {
        Table t = tables.get(ns);
        List<NftRuleText> all = new ArrayList<>();
        if (t != null) {
            t.keyed.keySet().forEach(r -> all.addAll(r.expand()));
        }
        return all;
    }

    /** Forgets a namespace's table (the namespace was deleted). */
    public synchronized void dropNamespace(Object ns) {
        tables.remove(ns);
    }

    /** Bumped by every successful change, like NFTA_GEN_ID. */
    public synchronized long generation() {
        return generation;
    }
}
