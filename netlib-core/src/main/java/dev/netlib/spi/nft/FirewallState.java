package dev.netlib.spi.nft;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a backend read of netlib's table just before planning a change ({@link FirewallPlan#of}):
 * the kernel's current state, not a memory of earlier changes. A backend reads only what the change
 * touches (the elements it names, the keyed rules of chain postrouting), never the whole table.
 */
public interface FirewallState {

    /** True if table {@code ip netlib} exists (then with its whole layout, made in one batch). */
    boolean tableExists();

    /** The kernel handles of a keyed rule's kernel rules (in {@link FirewallRule#expand()} order), empty if it is not installed. */
    List<Long> handles(FirewallRule rule);

    /** The comment of the element with {@code element}'s set and key, or null if there is none. */
    String elementComment(NftElement element);

    /**
     * The state a table holding exactly {@code installed} would show: their elements with their
     * comments, their keyed rules with handle 0.
     *
     * @param installed the rules read back from the table
     * @return the state, for a dry run's plan or {@link #holders}
     */
    static FirewallState of(List<FirewallRule> installed) {
        return new InstalledRules(installed);
    }

    /**
     * The installed rules that hold a place one of {@code rules} takes, as this state saw them: the
     * rule whose own element has the same set and key (a published port's protocol, host address
     * and host port, whatever its target), and each rule of kernel rules that is installed. Every
     * element carries its own rule's key, and a rule's elements come and go in one atomic batch, so
     * one element found means its whole rule is installed. An element without a netlib key (added
     * by hand) holds its place for no rule and is left out.
     */
    default List<FirewallRule> holders(List<FirewallRule> rules) {
        if (!tableExists()) {
            return List.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        for (FirewallRule r : rules) {
            if (!r.expand().isEmpty() && !handles(r).isEmpty()) {
                keys.add(RuleKeys.key(r));
            }
            for (NftElement e : r.elements()) {
                String comment = elementComment(e);
                if (comment != null) {
                    keys.add(comment);
                }
            }
        }
        List<FirewallRule> out = new ArrayList<>();
        for (String k : keys) {
            FirewallRule r;
            try {
                r = RuleKeys.parse(k);
            } catch (RuntimeException e) {
                continue; // not a netlib key: a full read logs it, nothing here deletes it
            }
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }
}
