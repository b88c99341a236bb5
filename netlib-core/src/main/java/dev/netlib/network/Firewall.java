package dev.netlib.network;

import dev.netlib.Netlib;
import dev.netlib.error.NotSupportedException;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.IsolationRule;
import java.util.List;

/**
 * The network layer's rules in the host namespace's netlib nftables table (masquerade, isolation
 * between bridges, ICC off, published ports), each change journaled. Disabled, it installs nothing
 * (for backends without nftables; the networks then have no NAT and no isolation).
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

    void add(Journal j, List<NatRule> rules) {
        if (!enabled || rules.isEmpty()) {
            return;
        }
        // Registered first: Nat may fail after its batch took effect (e.g. switching on forwarding),
        // so the undo removes whichever of the rules are installed when it runs.
        j.undo("nft remove " + rules, () -> {
            List<NatRule> installed;
            try {
                installed = installed();
            } catch (NotSupportedException e) {
                return; // a backend without nftables installed nothing
            }
            List<NatRule> present = installed.stream().filter(r -> rules.stream().anyMatch(x -> same(x, r))).toList();
            if (!present.isEmpty()) {
                host.nat().remove(present.toArray(NatRule[]::new));
            }
        });
        host.nat().add(rules.toArray(NatRule[]::new));
    }

    void remove(Journal j, List<NatRule> rules) {
        if (!enabled || rules.isEmpty()) {
            return;
        }
        List<NatRule> present = installed().stream().filter(r -> rules.stream().anyMatch(x -> same(x, r))).toList();
        if (present.isEmpty()) {
            return;
        }
        j.undo("nft add " + present, () -> {
            List<NatRule> now = installed();
            List<NatRule> missing = present.stream().filter(r -> !now.contains(r)).toList();
            if (!missing.isEmpty()) {
                host.nat().add(missing.toArray(NatRule[]::new));
            }
        });
        host.nat().remove(present.toArray(NatRule[]::new));
    }

    /** Same rule, ignoring the hairpin network Nat fills in when a port is published. */
    private static boolean same(NatRule wanted, NatRule installed) {
        if (wanted.equals(installed)) {
            return true;
        }
        if (wanted.spec() instanceof dev.netlib.spi.nft.DnatRule w && installed.spec() instanceof dev.netlib.spi.nft.DnatRule i) {
            return w.hairpinNetwork() == null && w.equals(new dev.netlib.spi.nft.DnatRule(i.protocol(), i.hostAddress(),
                    i.hostPortFirst(), i.hostPortLast(), i.target(), i.targetPort(), null));
        }
        return false;
    }

    List<NatRule> installed() {
        return enabled ? host.nat().list() : List.of();
    }

    /** The rules a bridge network needs: masquerade, ICC off, isolation from the other bridges. */
    static List<NatRule> networkRules(NetworkConfig n, List<NetworkConfig> others) {
        var rules = new java.util.ArrayList<NatRule>();
        if (n.masquerade() && !n.internal()) {
            rules.add(NatRule.masquerade().source(n.subnet().toString()).notOutInterface(n.device()).build());
        }
        if (!n.icc()) {
            rules.add(NatRule.noIcc(n.device()));
        }
        for (NetworkConfig o : others) {
            if (o.driver() == DriverKind.BRIDGE && !o.name().equals(n.name())) {
                rules.add(NatRule.isolate(n.device(), o.device()));
            }
        }
        return rules;
    }

    private static boolean belongsTo(NatRule r, NetworkConfig n) {
        if (r.spec() instanceof IsolationRule i) {
            return i.bridgeA().equals(n.device()) || i.bridgeB().equals(n.device());
        }
        if (r.spec() instanceof dev.netlib.spi.nft.IccRule i) {
            return i.bridge().equals(n.device());
        }
        if (r.spec() instanceof dev.netlib.spi.nft.MasqueradeRule m) {
            return n.device().equals(m.outInterface()) && n.subnet().equals(m.source());
        }
        return false;
    }

    /** Installed rules that belong to the bridge {@code device}. */
    List<NatRule> rulesOf(NetworkConfig n) {
        return installed().stream().filter(r -> belongsTo(r, n)).toList();
    }
}
