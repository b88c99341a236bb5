package dev.netlib.network;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotFoundException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.HairpinRule;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import java.util.List;

/**
 * The network layer's rules in the host namespace's netlib nftables table (masquerade, hairpin NAT,
 * isolation between bridges, ICC off, published ports), each change journaled as a compensation: the undo
 * removes exactly the rules this step added, or adds back exactly those it removed. Disabled, it
 * installs nothing (for backends without nftables; the networks then have no NAT and no isolation).
 */
final class Firewall {
    private final Netlib host;
    private final boolean enabled;

    Firewall(Netlib host, boolean enabled) {
        this.host = host;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Installs {@code rules} in one batch and journals the undo that removes them. A batch refused
     * before it changed anything (a rule or element another writer holds: EEXIST; a bad rule) has
     * nothing to undo, and must not get an undo: the rules installed then are someone else's. Any
     * other failure may come after the batch took effect (Nat switches on forwarding after it), so
     * the undo is journaled then too, and removes whichever of the rules are installed when it runs.
     */
    void add(Journal j, List<NatRule> rules) {
        if (!enabled || rules.isEmpty()) {
            return;
        }
        try {
            host.nat().add(rules.toArray(NatRule[]::new));
        } catch (AlreadyExistsException | InvalidConfigException refusedBeforeAnyChange) {
            throw refusedBeforeAnyChange;
        } catch (RuntimeException maybeAfterTheBatch) {
            journalRemoval(j, rules);
            throw maybeAfterTheBatch;
        }
        journalRemoval(j, rules);
    }

    private void journalRemoval(Journal j, List<NatRule> rules) {
        j.undo("nft remove " + rules, () -> {
            try {
                removeInstalled(rules);
            } catch (NotSupportedException e) {
                // a backend without nftables installed nothing
            }
        });
    }

    /**
     * Installs those of {@code wanted} that are not installed, and journals the removal of exactly
     * those. A rule another writer installs between the read and the batch (two networks created
     * at once both add the isolation between them) fails the batch with EEXIST before anything
     * changed: the read is made again, and that rule is left to its writer. Each such refusal
     * means one more of the rules was installed since the read, so the tries are bounded by their number.
     */
    void addMissing(Journal j, List<NatRule> wanted) {
        untilNoneTakenMeanwhile(wanted.size(), () -> add(j, missing(wanted)));
    }

    /**
     * Runs {@code addition} (a read of what is missing, and its installation) again while another
     * writer installs one of the same rules between its read and its batch (EEXIST, nothing
     * changed): at most {@code rules} + 1 times, since each refusal means one more was installed.
     */
    private static void untilNoneTakenMeanwhile(int rules, Runnable addition) {
        for (int attempt = 1; ; attempt++) {
            try {
                addition.run();
                return;
            } catch (AlreadyExistsException takenMeanwhile) {
                if (attempt > rules) {
                    throw takenMeanwhile;
                }
            }
        }
    }

    /**
     * Removes those of {@code rules} that are installed and journals the undo that adds back
     * exactly those. Tried first as one removal of all of them, whose plan reads their places anyway:
     * if one is not installed the plan refuses with ENOENT before anything is sent, and only then
     * are the installed ones read ({@link #holding}) and removed. So an unpublish reads its places
     * once. Another writer may remove one of them between that read and the batch (two networks
     * removed at once share the isolation between them): read again, and that one is left to it.
     * Each such refusal means one more of the rules was removed since the read, so the tries are
     * bounded by their number.
     * The undo is journaled after the removal: a removal that throws changed nothing
     * (Backend#applyFirewall), so there is nothing to undo then.
     */
    void remove(Journal j, List<NatRule> rules) {
        if (!enabled || rules.isEmpty()) {
            return;
        }
        List<NatRule> mine = removeInstalled(rules);
        if (mine.isEmpty()) {
            return;
        }
        j.undo("nft add " + mine, () -> untilNoneTakenMeanwhile(mine.size(), () -> {
            List<NatRule> missing = missing(mine);
            if (!missing.isEmpty()) {
                host.nat().add(missing.toArray(NatRule[]::new));
            }
        }));
    }

    /** The removal of {@link #remove}, unjournaled; returns the rules it removed. */
    private List<NatRule> removeInstalled(List<NatRule> rules) {
        List<NatRule> removed = rules;
        for (int attempt = 1; ; attempt++) {
            try {
                if (!removed.isEmpty()) {
                    host.nat().remove(removed.toArray(NatRule[]::new));
                }
                return removed;
            } catch (NotFoundException goneMeanwhile) {
                if (attempt > rules.size()) {
                    throw goneMeanwhile;
                }
                removed = matching(holding(rules), rules);
            }
        }
    }

    /** Every rule of netlib's table (a read of the whole table: for the reconciler's search of rules nobody wants). */
    List<NatRule> installed() {
        return enabled ? host.nat().list() : List.of();
    }

    /**
     * The installed rules that hold a place one of {@code rules} takes (the same published host port,
     * the same masquerade), read by those places only: a disconnect costs the same beside one
     * published port as beside thousands.
     */
    List<NatRule> holding(List<NatRule> rules) {
        return enabled && !rules.isEmpty() ? host.nat().holding(rules) : List.of();
    }

    /** The installed rules that are one of {@code wanted}. */
    static List<NatRule> matching(List<NatRule> installed, List<NatRule> wanted) {
        return installed.stream().filter(wanted::contains).toList();
    }

    /**
     * Those of {@code wanted} that are not installed, read by their places ({@link #holding}); none
     * when the firewall is disabled (nothing is ever installed then, and nothing is wanted either).
     */
    List<NatRule> missing(List<NatRule> wanted) {
        if (!enabled || wanted.isEmpty()) {
            return List.of();
        }
        List<NatRule> installed = holding(wanted);
        return wanted.stream().filter(w -> !installed.contains(w)).toList();
    }

    /** True if {@code r} is one of the network rules of bridge network {@code n} (masquerade, hairpin, ICC, isolation). */
    static boolean belongsTo(NatRule r, NetworkConfig n) {
        if (r.spec() instanceof IsolationRule i) {
            return i.bridgeA().equals(n.device()) || i.bridgeB().equals(n.device());
        }
        if (r.spec() instanceof IccRule i) {
            return i.bridge().equals(n.device());
        }
        if (r.spec() instanceof MasqueradeRule m) {
            return n.device().equals(m.outInterface()) && n.subnet().equals(m.source());
        }
        if (r.spec() instanceof HairpinRule h) {
            return h.bridge().equals(n.device()) && h.network().equals(n.subnet());
        }
        return false;
    }

    /** Installed rules that belong to bridge network {@code n}. */
    static List<NatRule> rulesOf(List<NatRule> installed, NetworkConfig n) {
        return installed.stream().filter(r -> belongsTo(r, n)).toList();
    }
}
