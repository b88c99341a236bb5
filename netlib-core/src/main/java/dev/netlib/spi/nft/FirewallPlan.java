package dev.netlib.spi.nft;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.Errno;
import dev.netlib.error.NotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of {@link FirewallChange}s planned against the table's current state ({@link FirewallState}):
 * the layout to create when the table is missing, then per change the exact kernel operations, in
 * order: rule deletions by handle and element deletions for a removal, element and rule additions
 * for an addition. Both backends plan with it, so they agree on EEXIST/ENOENT and on the commands.
 *
 * <p>Nothing is deleted that is not this rule's: a keyed rule by the handles read from the kernel,
 * an element only when the kernel holds it with the rule's own comment. Every element belongs to
 * exactly one rule, so no count is ever kept. Whether the table is then removed (once empty) is for
 * the backend to find out in the kernel ({@link #withTableDeleted}).
 *
 * @param createTable  true: the layout is created first ({@link NftLayout#createCommands()})
 * @param operations   the kernel operations, in order
 * @param changes      the changes planned
 * @param tableDeleted true once the backend removed the emptied table after applying the plan
 */
public record FirewallPlan(boolean createTable, List<Operation> operations, List<FirewallChange> changes, boolean tableDeleted) {

    /** One kernel operation of a plan. */
    public sealed interface Operation {
        /** The nft command it is equivalent to (valid shell). */
        String command();
    }

    /** Adds an element. @param element the element */
    public record AddElement(NftElement element) implements Operation {
        @Override
        public String command() {
            return element.addCommand();
        }
    }

    /** Deletes an element by its key. @param element the element */
    public record DeleteElement(NftElement element) implements Operation {
        @Override
        public String command() {
            return element.deleteCommand();
        }
    }

    /** Appends a keyed rule. @param rule the kernel rule */
    public record AddRule(NftRuleText rule) implements Operation {
        @Override
        public String command() {
            return rule.addCommand();
        }
    }

    /** Deletes a kernel rule by handle. @param rule the kernel rule @param handle its kernel handle */
    public record DeleteRule(NftRuleText rule, long handle) implements Operation {
        @Override
        public String command() {
            return rule.deleteCommand(handle);
        }
    }

    /**
     * Plans {@code changes} on {@code state}. Adding a rule that is installed (or an element key
     * that is taken) fails with EEXIST, removing one that is not installed with ENOENT, before
     * anything is changed.
     */
    public static FirewallPlan of(FirewallState state, List<FirewallChange> changes) {
        List<Operation> ops = new ArrayList<>();
        Set<NftElement.Id> added = new HashSet<>();
        Set<NftElement.Id> deleted = new HashSet<>();
        Set<String> addedRules = new HashSet<>(); // by key: no record hashCode bootstrap on the first call
        Set<String> deletedRules = new HashSet<>();
        boolean exists = state.tableExists();
        for (FirewallChange c : changes) {
            FirewallRule rule = c.rule();
            String ruleKey = RuleKeys.key(rule);
            List<NftRuleText> kernel = rule.expand();
            if (c.kind() == FirewallChange.Kind.ADD) {
                boolean installed = !kernel.isEmpty() && exists && !state.handles(rule).isEmpty() && !deletedRules.contains(ruleKey);
                if (installed || !addedRules.add(ruleKey)) {
                    throw new AlreadyExistsException(Errno.EEXIST, first(rule), "netlib already has the rule " + rule.describe());
                }
                for (NftElement e : rule.elements()) {
                    boolean present = added.contains(e.id()) || (exists && !deleted.contains(e.id()) && state.elementComment(e) != null);
                    if (present) {
                        throw new AlreadyExistsException(Errno.EEXIST, e.addCommand(), "netlib already has element " + e.keyText()
                                + " in " + e.set().name() + ", so it cannot add the rule " + rule.describe());
                    }
                    added.add(e.id());
                    ops.add(new AddElement(e));
                }
                for (NftRuleText k : kernel) {
                    ops.add(new AddRule(k));
                }
            } else {
                List<Long> handles = kernel.isEmpty() || !exists || deletedRules.contains(ruleKey) ? List.of() : state.handles(rule);
                if (!kernel.isEmpty() && handles.size() != kernel.size()) {
                    throw new NotFoundException(Errno.ENOENT, first(rule), "netlib has no rule " + rule.describe());
                }
                deletedRules.add(ruleKey);
                for (int i = 0; i < kernel.size(); i++) {
                    ops.add(new DeleteRule(kernel.get(i), handles.get(i)));
                }
                for (NftElement e : rule.elements()) {
                    boolean own = !added.contains(e.id()) && exists && !deleted.contains(e.id()) && e.comment().equals(state.elementComment(e));
                    if (!own) {
                        throw new NotFoundException(Errno.ENOENT, e.deleteCommand(), "netlib has no rule " + rule.describe()
                                + " (element " + e.keyText() + " of " + e.set().name() + " is not there as its own)");
                    }
                    deleted.add(e.id());
                    ops.add(new DeleteElement(e));
                }
            }
        }
        boolean create = false;
        for (Operation o : ops) {
            create |= !exists && (o instanceof AddElement || o instanceof AddRule);
        }
        return new FirewallPlan(create, List.copyOf(ops), List.copyOf(changes), false);
    }

    private static String first(FirewallRule rule) {
        List<NftRuleText> k = rule.expand();
        return k.isEmpty() ? rule.elements().get(0).addCommand() : k.get(0).addCommand();
    }

    /** This plan, recorded as followed by the removal of the emptied table. */
    public FirewallPlan withTableDeleted() {
        return new FirewallPlan(createTable, operations, changes, true);
    }

    /** True if the plan removes anything (then the backend checks whether the table is left empty). */
    public boolean removes() {
        for (Operation o : operations) {
            if (o instanceof DeleteElement || o instanceof DeleteRule) {
                return true;
            }
        }
        return false;
    }

    /**
     * The change as nft commands, in the order a backend sends them: the layout when created, the
     * operations, and the table's removal when it was left empty. Each is a valid shell command.
     */
    public List<String> commands() {
        List<String> cmds = new ArrayList<>();
        if (createTable) {
            cmds.addAll(NftLayout.createCommands());
        }
        for (Operation o : operations) {
            cmds.add(o.command());
        }
        if (tableDeleted) {
            cmds.add(NftLayout.deleteCommand());
        }
        return cmds;
    }

    /** True if any rule added by this plan needs net.ipv4.ip_forward. */
    public boolean needsForwarding() {
        return needsForwarding(changes);
    }

    /**
     * Whether {@code changes} add a rule that needs the namespace to forward (net.ipv4.ip_forward).
     *
     * @param changes the changes of one call
     * @return true when one of them adds such a rule
     */
    public static boolean needsForwarding(java.util.List<FirewallChange> changes) {
        return changes.stream().anyMatch(c -> c.kind() == FirewallChange.Kind.ADD && c.rule().needsForwarding());
    }
}
