package dev.netlib.spi.nft;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.Errno;
import dev.netlib.error.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a list of {@link FirewallChange}s does to netlib's rule set: the rule set afterwards, the
 * chains and tables to create and to delete, and the whole change as {@code nft} commands. Both
 * backends use it, so they agree on EEXIST/ENOENT and on the table and chain lifecycle.
 */
public record FirewallPlan(List<FirewallRule> before, List<FirewallRule> after, List<FirewallChange> changes,
                           List<NftChain> chainsToAdd, List<NftChain> chainsToDelete,
                           List<String> tablesToAdd, List<String> tablesToDelete) {

    /**
     * Plans {@code changes} on top of {@code before}. Adding an installed rule fails with EEXIST,
     * removing one that is not installed with ENOENT, before anything is changed.
     */
    public static FirewallPlan of(List<FirewallRule> before, List<FirewallChange> changes) {
        Set<FirewallRule> set = new LinkedHashSet<>(before);
        for (FirewallChange c : changes) {
            if (c.kind() == FirewallChange.Kind.ADD) {
                if (!set.add(c.rule())) {
                    throw new AlreadyExistsException(Errno.EEXIST, command(c), "netlib already has the rule " + c.rule().describe());
                }
            } else if (!set.remove(c.rule())) {
                throw new NotFoundException(Errno.ENOENT, command(c), "netlib has no rule " + c.rule().describe());
            }
        }
        List<FirewallRule> after = List.copyOf(set);
        Set<NftChain> had = chains(before);
        Set<NftChain> will = chains(after);
        List<NftChain> add = new ArrayList<>();
        List<NftChain> del = new ArrayList<>();
        for (NftChain ch : NftLayout.CHAINS) {
            if (will.contains(ch) && !had.contains(ch)) {
                add.add(ch);
            }
            if (had.contains(ch) && !will.contains(ch)) {
                del.add(0, ch);
            }
        }
        Set<String> famBefore = families(had);
        Set<String> famAfter = families(will);
        List<String> tAdd = famAfter.stream().filter(f -> !famBefore.contains(f)).toList();
        List<String> tDel = famBefore.stream().filter(f -> !famAfter.contains(f)).toList();
        return new FirewallPlan(List.copyOf(before), after, List.copyOf(changes), add, del, tAdd, tDel);
    }

    private static String command(FirewallChange c) {
        List<NftRuleText> r = c.rule().expand();
        return c.kind() == FirewallChange.Kind.ADD ? r.get(0).addCommand() : r.get(0).deleteCommand("?");
    }

    /** The chains the rules need, with the entry chains of the ones reached by jumps. */
    public static Set<NftChain> chains(List<FirewallRule> rules) {
        Set<NftChain> s = new LinkedHashSet<>();
        for (FirewallRule r : rules) {
            for (NftChain c : r.chains()) {
                if (s.add(c)) {
                    s.addAll(NftLayout.companions(c));
                }
            }
        }
        return s;
    }

    private static Set<String> families(Set<NftChain> chains) {
        Set<String> s = new LinkedHashSet<>();
        chains.forEach(c -> s.add(c.family()));
        return s;
    }

    /**
     * The change as nft commands, in the order a backend sends them: tables and chains first (an
     * entry chain with its jump rule), rule deletions and additions in the order given, then
     * emptied chains (their rules go with them) and tables. A rule deletion shows {@code handle ?}
     * where the kernel's handle is not known to the caller.
     */
    public List<String> commands() {
        List<String> cmds = new ArrayList<>();
        for (String fam : tablesToAdd) {
            cmds.add("nft add table " + fam + " " + NftLayout.TABLE);
        }
        for (NftChain ch : chainsToAdd) {
            cmds.add(ch.addCommand());
            NftLayout.entryRule(ch).ifPresent(r -> cmds.add(r.addCommand()));
        }
        for (FirewallChange c : changes) {
            for (NftRuleText t : c.rule().expand()) {
                cmds.add(c.kind() == FirewallChange.Kind.ADD ? t.addCommand() : t.deleteCommand("?"));
            }
        }
        for (NftChain ch : chainsToDelete) {
            if (!tablesToDelete.contains(ch.family())) { // deleting the table takes its chains with it
                cmds.add(ch.deleteCommand());
            }
        }
        for (String fam : tablesToDelete) {
            cmds.add("nft delete table " + fam + " " + NftLayout.TABLE);
        }
        return cmds;
    }

    /** True if any rule added by this plan needs net.ipv4.ip_forward. */
    public boolean needsForwarding() {
        return changes.stream().anyMatch(c -> c.kind() == FirewallChange.Kind.ADD && c.rule().needsForwarding());
    }
}
