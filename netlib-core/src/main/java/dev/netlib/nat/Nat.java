package dev.netlib.nat;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;
import dev.netlib.spi.Ipv4Forwarding;
import dev.netlib.spi.NamespaceAccess;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallPlan;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.FirewallState;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT, port publishing and isolation in one namespace, through netlib's own nftables table
 * {@code netlib} (no other table is ever touched). Obtained from {@code netlib.nat()}.
 *
 * <p>Every call is one atomic nf_tables batch: all its rules take effect or none does. Input is
 * checked before anything is sent (ports, ranges, duplicates, targets outside every network of
 * the namespace). When a rule needs routing, {@code net.ipv4.ip_forward} is switched on in the
 * namespace and the log says so.
 */
public final class Nat {
    private static final Logger CHANGES = LoggerFactory.getLogger("dev.netlib.changes");
    private static final Logger LOG = LoggerFactory.getLogger(Nat.class);
    /** More places than this and a publish reads the whole table instead (one read, not thousands of element requests). */
    private static final int MAX_CONFLICT_PLACES = 256;

    private final Backend backend;
    private final NetnsRef ns;

    private Nat(NamespaceAccess access) {
        this.backend = access.backend();
        this.ns = access.ref();
    }

    /**
     * The NAT handle of a namespace handle (a {@code Netlib}); same as {@code netlib.nat()}.
     * Takes the handle's SPI view so that this package does not depend on the API package back.
     *
     * @param netlib the namespace handle
     * @return its NAT handle
     */
    public static Nat of(NamespaceAccess netlib) {
        return new Nat(Objects.requireNonNull(netlib, "netlib"));
    }

    /**
     * Installs the rules in one atomic batch and returns them.
     * Equivalent to: {@code nft add element ip netlib published '{ tcp . 8080 : 172.17.0.2 . 80 }'} per
     * element and {@code nft add rule ...} per masquerade/SNAT rule, as one {@code nft -f FILE}.
     */
    public List<NatRule> add(NatRule... rules) {
        return apply(Arrays.asList(rules), List.of()).added();
    }

    /**
     * Removes installed rules in one atomic batch (exactly their own elements and rules, whichever
     * process added them); the table goes once nothing is left in it. Equivalent to: {@code nft
     * delete element ip netlib published '{ tcp . 8080 }'} (or {@code nft delete rule ... handle H}).
     */
    public void remove(NatRule... rules) {
        apply(List.of(), Arrays.asList(rules));
    }

    /** What {@link #apply} did. */
    public record Result(List<NatRule> added, List<String> commands) {}

    /**
     * Removes {@code remove} and adds {@code add} in one atomic batch (a replace that can never
     * half-happen), planned against the kernel's current table: rules of other processes are
     * neither touched nor lost.
     */
    public Result apply(List<NatRule> add, List<NatRule> remove) {
        List<FirewallChange> changes = changes(add, remove);
        if (add.stream().anyMatch(r -> r.spec() instanceof IccRule)) {
            checkBridgeNetfilter();
        }
        List<String> commands;
        try {
            commands = backend.applyFirewall(ns, changes);
        } catch (AlreadyExistsException taken) {
            throw publishedMeanwhile(add, taken);
        }
        if (CHANGES.isDebugEnabled()) {
            for (String c : commands) {
                CHANGES.debug("{}", Commands.exec(ns, c));
            }
        }
        if (FirewallPlan.needsForwarding(changes)) {
            Ipv4Forwarding.enable(backend, ns);
        }
        List<NatRule> added = changes.stream().filter(c -> c.kind() == FirewallChange.Kind.ADD).map(c -> NatRule.of(c.rule())).toList();
        return new Result(added, commands);
    }

    /**
     * The nft commands {@link #apply} would run, without changing anything (a dry run), planned on
     * the rules {@link #list()} reads; a masquerade or SNAT rule removed shows handle 0, as its
     * kernel handle is read only when the change is made.
     */
    public List<String> dryRun(List<NatRule> add, List<NatRule> remove) {
        List<FirewallRule> installed = backend.firewallRules(ns);
        return FirewallPlan.of(FirewallState.of(installed), changes(add, remove)).commands();
    }

    /** The rules netlib has installed in this namespace (by any process). Equivalent to: {@code nft list table ip netlib}. */
    public List<NatRule> list() {
        return backend.firewallRules(ns).stream().map(NatRule::of).toList();
    }

    /**
     * The installed rules (by any process) that hold a place one of {@code rules} takes: for a
     * published port, the rule that publishes the same protocol, host address and host port,
     * whatever its target; for any other rule, that rule if it is installed. Read from the kernel
     * now, by those places only, so the cost does not grow with the number of rules installed (what
     * {@link #list()} reads). Equivalent to: {@code nft get element ip netlib published '{ tcp . 8080 }'},
     * one per element of the rules.
     */
    public List<NatRule> holding(List<NatRule> rules) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<FirewallRule> specs = rules.stream().map(r -> Objects.requireNonNull(r, "rule").spec()).toList();
        return backend.firewallRulesHolding(ns, specs).stream().map(NatRule::of).toList();
    }

    /**
     * Traffic between two ports of one bridge is switched, not routed: the ip family's forward hook
     * sees it only through br_netfilter ({@code net.bridge.bridge-nf-call-iptables=1}, as Docker's
     * icc=false needs too). With it off an ICC rule would silently do nothing: refuse it.
     */
    private void checkBridgeNetfilter() {
        String v;
        try {
            v = backend.readSysctl(ns, "net.bridge.bridge-nf-call-iptables").trim();
        } catch (RuntimeException e) {
            v = "";
        }
        if ("0".equals(v)) {
            throw new InvalidConfigException("inter-container traffic cannot be cut in " + ns.describe()
                    + ": net.bridge.bridge-nf-call-iptables is 0, so bridged traffic bypasses nftables' ip hooks; set it to 1 first");
        }
        if (v.isEmpty()) {
            LOG.warn("cannot read net.bridge.bridge-nf-call-iptables in {}: without br_netfilter an ICC rule has no effect", ns.describe());
        }
    }

    /**
     * The changes for the backend, checked: a published port must target an address inside one of
     * the namespace's networks and must not claim a (protocol, host address, host port) another
     * published port holds, in the kernel now. A removal reads nothing here: the backend's plan
     * finds the rule's own elements and rules, or refuses with ENOENT.
     */
    private List<FirewallChange> changes(List<NatRule> add, List<NatRule> remove) {
        List<DnatRule> publishing = publishing(add);
        List<AddressInfo> networks = publishing.isEmpty() ? null : networks();
        List<FirewallRule> installed = List.of();
        if (!publishing.isEmpty()) {
            List<FirewallRule> places = conflictPlaces(publishing, networks);
            installed = places == null ? backend.firewallRules(ns) : backend.firewallRulesHolding(ns, places);
        }
        List<FirewallChange> changes = new ArrayList<>();
        for (NatRule r : remove) {
            changes.add(FirewallChange.delete(Objects.requireNonNull(r, "rule").spec()));
        }
        List<DnatRule> ports = new ArrayList<>();
        for (FirewallRule r : installed) {
            if (r instanceof DnatRule d && changes.stream().noneMatch(c -> c.rule().equals(d))) {
                ports.add(d);
            }
        }
        for (NatRule r : add) {
            FirewallRule spec = r.spec();
            if (spec instanceof DnatRule d) {
                checkAddresses(d, networks);
                for (DnatRule other : ports) {
                    if (other.conflictsWith(d)) {
                        throw conflict(d, other, "are already published by ");
                    }
                }
                ports.add(d);
            }
            changes.add(FirewallChange.add(spec));
        }
        return changes;
    }

    /** The published ports among {@code add}. */
    private static List<DnatRule> publishing(List<NatRule> add) {
        List<DnatRule> out = new ArrayList<>();
        for (NatRule r : add) {
            if (Objects.requireNonNull(r, "rule").spec() instanceof DnatRule d) {
                out.add(d);
            }
        }
        return out;
    }

    private static InvalidConfigException conflict(DnatRule d, DnatRule other, String how) {
        return new InvalidConfigException("cannot publish " + d.describe() + ": " + d.protocol().word() + " port(s) " + d.hostPortFirst()
                + "-" + d.hostPortLast() + " " + how + other.describe() + "; each (protocol, host address, host port) can be published once");
    }

    /**
     * The failure of a batch refused with EEXIST (nothing changed). When another process published
     * a port that one of {@code add} conflicts with between the check of {@link #changes} and the
     * batch, it is the check's refusal, read again now: an {@link InvalidConfigException} naming
     * that port, as when it was published before. Otherwise (an identical rule installed
     * meanwhile, or another rule's element) {@code taken} itself.
     */
    private RuntimeException publishedMeanwhile(List<NatRule> add, AlreadyExistsException taken) {
        List<DnatRule> publishing = publishing(add);
        if (publishing.isEmpty()) {
            return taken;
        }
        List<FirewallRule> places = conflictPlaces(publishing, networks());
        for (FirewallRule r : places == null ? backend.firewallRules(ns) : backend.firewallRulesHolding(ns, places)) {
            for (DnatRule d : publishing) {
                if (r instanceof DnatRule other && !other.equals(d) && other.conflictsWith(d)) {
                    InvalidConfigException refused = conflict(d, other, "were published meanwhile by ");
                    refused.addSuppressed(taken);
                    return refused;
                }
            }
        }
        return taken;
    }

    /**
     * Where a port that conflicts with one of {@code ports} would have its elements: each host port
     * on every address (map {@code published}) and on each address that can conflict (map {@code
     * published_addr}: the given one, or for a port on every address each of the namespace's IPv4
     * addresses). A read of those places ({@link Backend#firewallRulesHolding}) finds every
     * installed port a publish conflicts with, at a cost that does not grow with the ports
     * published. Null when the addresses are unknown or the places too many: the whole table is
     * read then. A port published on an address the namespace no longer has is not found this way;
     * it takes no traffic (packets reach the DNAT maps only for local addresses) and its map
     * element is not the new port's.
     */
    private static List<FirewallRule> conflictPlaces(List<DnatRule> ports, List<AddressInfo> addresses) {
        if (addresses == null) {
            return null;
        }
        List<FirewallRule> places = new ArrayList<>();
        int count = 0;
        for (DnatRule d : ports) {
            List<InetAddress> hosts = new ArrayList<>();
            hosts.add(null);
            if (d.hostAddress() != null) {
                hosts.add(d.hostAddress());
            } else {
                addresses.forEach(a -> hosts.add(a.address().address()));
            }
            for (InetAddress h : hosts) {
                count += d.portCount();
                if (count > MAX_CONFLICT_PLACES) {
                    return null;
                }
                places.add(new DnatRule(d.protocol(), h, d.hostPortFirst(), d.hostPortLast(), d.target(), d.targetPort()));
            }
        }
        return places;
    }

    /** The namespace's IPv4 addresses (null if the backend cannot say). */
    private List<AddressInfo> networks() {
        try {
            return backend.addresses(ns).stream().filter(a -> a.address().isIpv4()).toList();
        } catch (NotSupportedException | UnsupportedOperationException e) {
            LOG.debug("cannot read addresses of {} to check DNAT targets: {}", ns.describe(), e.getMessage());
            return null;
        }
    }

    /** The host address must be the namespace's own and the target inside one of its networks. */
    private void checkAddresses(DnatRule d, List<AddressInfo> addresses) {
        if (addresses == null) {
            return;
        }
        List<IpPrefix> networks = addresses.stream()
                .filter(a -> !"lo".equals(a.device()) && a.address().length() < 32).map(a -> a.address().network()).toList();
        if (d.hostAddress() != null && addresses.stream().noneMatch(a -> a.address().address().equals(d.hostAddress()))) {
            throw new InvalidConfigException("cannot publish " + d.describe() + ": " + IpAddresses.format(d.hostAddress())
                    + " is not an address of " + ns.describe() + "; give one of its own addresses, or none for all of them");
        }
        for (IpPrefix n : networks) {
            if (n.contains(d.target())) {
                return;
            }
        }
        throw new InvalidConfigException("cannot publish " + d.describe() + ": target " + IpAddresses.format(d.target())
                + " is outside every network of " + ns.describe() + " (" + networks + "); publish to a container address on one of its bridges");
    }
}
