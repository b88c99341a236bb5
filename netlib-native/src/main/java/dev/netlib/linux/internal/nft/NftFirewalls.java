package dev.netlib.linux.internal.nft;

import dev.netlib.model.NetnsRef;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link NftFirewall} per namespace, for a backend's {@code applyFirewall} and
 * {@code firewallRules}: the first use in a namespace opens its NETLINK_NETFILTER socket through
 * {@code opener}, which must run {@link NftFirewall#openIn} inside that namespace (on a thread the
 * backend owns). Namespaces are told apart by inode, so two refs to one namespace share a firewall.
 *
 * <p>Wiring in LinuxBackend: the opener opens {@link NftFirewall#openIn} on a thread inside the
 * namespace; {@code applyFirewall} and {@code firewallRules} delegate here; {@code
 * release}, {@code deleteNamespace} call {@link #release}, {@code close} calls {@link #close}.
 */
public final class NftFirewalls implements AutoCloseable {
    private final Function<NetnsRef, NftFirewall> opener;
    private final Map<Long, NftFirewall> byInode = new HashMap<>();

    public NftFirewalls(Function<NetnsRef, NftFirewall> opener) {
        this.opener = opener;
    }

    private synchronized NftFirewall of(NetnsRef ns) {
        NftFirewall fw = byInode.get(ns.inode()); // no computeIfAbsent lambda: a fresh JVM's first change runs this
        if (fw == null) {
            fw = opener.apply(ns);
            byInode.put(ns.inode(), fw);
        }
        return fw;
    }

    /** Backend.applyFirewall. */
    public List<String> apply(NetnsRef ns, List<FirewallChange> changes) {
        return of(ns).apply(changes);
    }

    /** Backend.firewallRules: opens the namespace's firewall, and reads the kernel's table. */
    public List<FirewallRule> rules(NetnsRef ns) {
        return of(ns).rules();
    }

    /** Backend.firewallRulesHolding. */
    public List<FirewallRule> holding(NetnsRef ns, List<FirewallRule> rules) {
        return of(ns).holding(rules);
    }

    /** Closes the namespace's socket (Backend.release / deleteNamespace); the kernel's rules stay. */
    public synchronized void release(NetnsRef ns) {
        NftFirewall fw = byInode.remove(ns.inode());
        if (fw != null) {
            fw.close();
        }
    }

    @Override
    public synchronized void close() {
        // each closed on its own: one whose lock file cannot be closed in time must not keep the
        // others' sockets open (the first failure is thrown once all are done)
        RuntimeException first = null;
        for (NftFirewall fw : byInode.values()) {
            try {
                fw.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        byInode.clear();
        if (first != null) {
            throw first;
        }
    }
}
