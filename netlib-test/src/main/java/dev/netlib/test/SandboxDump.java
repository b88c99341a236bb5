package dev.netlib.test;

import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteInfo;
import dev.netlib.spi.Backend;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.NftRuleText;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The state of one namespace as {@code ip} and {@code nft} would print it: links, addresses, routes,
 * neighbours, the bridge FDB and netlib's nftables rules. Attached to a failed test's report; as a
 * suppressed exception it shows in the console and in the surefire XML without a stack trace.
 */
final class SandboxDump extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SandboxDump(String text) {
        super(text, null, false, false);
    }

    /** Renders {@code ns} as seen through {@code backend}; a part that cannot be read says why. */
    static String render(Backend backend, NetnsRef ns, String title) {
        StringBuilder out = new StringBuilder("== ").append(title).append('\n');
        section(out, "ip link", () -> backend.links(ns), SandboxDump::link);
        section(out, "ip address", () -> backend.addresses(ns), SandboxDump::address);
        section(out, "ip route (all tables but local)", () -> backend.routes(ns), SandboxDump::route);
        section(out, "ip neigh", () -> backend.neighbors(ns), SandboxDump::neighbor);
        section(out, "bridge fdb", () -> backend.fdb(ns), SandboxDump::fdb);
        section(out, "nft list table ip netlib", () -> backend.firewallRules(ns), SandboxDump::rule);
        return out.toString();
    }

    private interface Line<T> {
        String of(T item);
    }

    private static <T> void section(StringBuilder out, String title, Supplier<List<T>> read, Line<T> line) {
        out.append("# ").append(title).append('\n');
        try {
            List<T> items = read.get();
            if (items.isEmpty()) {
                out.append("  (none)\n");
            }
            for (T item : items) {
                out.append("  ").append(line.of(item).replace("\n", "\n  ")).append('\n');
            }
        } catch (RuntimeException e) {
            out.append("  (cannot read: ").append(e.getMessage()).append(")\n");
        }
    }

    static String link(LinkInfo l) {
        StringBuilder s = new StringBuilder().append(l.index()).append(": ").append(l.displayName()).append(": <")
                .append(l.adminUp() ? "UP" : "DOWN").append("> mtu ").append(l.mtu());
        if (l.masterName() != null) {
            s.append(" master ").append(l.masterName());
        } else if (l.masterIndex() != 0) {
            s.append(" master if").append(l.masterIndex());
        }
        s.append(" state ").append(l.operState());
        if (l.kind() != null) {
            s.append(" ").append(l.kind());
        }
        if (l.mac() != null) {
            s.append(" link/ether ").append(l.mac());
        }
        return s.toString();
    }

    static String address(AddressInfo a) {
        return a.device() + " " + (a.address().address().getAddress().length == 4 ? "inet " : "inet6 ") + a.address()
                + " scope " + a.scope().name().toLowerCase(Locale.ROOT);
    }

    static String route(RouteInfo r) {
        StringBuilder s = new StringBuilder(r.isDefault() ? "default" : r.destination().toString());
        if (r.gateway() != null) {
            s.append(" via ").append(host(r.gateway()));
        }
        if (r.device() != null) {
            s.append(" dev ").append(r.device());
        }
        s.append(" table ").append(r.table() == 254 ? "main" : Integer.toString(r.table()))
                .append(" scope ").append(r.scope().name().toLowerCase(Locale.ROOT));
        if (r.metric() != 0) {
            s.append(" metric ").append(r.metric());
        }
        return s.toString();
    }

    static String neighbor(NeighborInfo n) {
        return host(n.address()) + " dev " + n.device() + (n.mac() != null ? " lladdr " + n.mac() : "") + " " + n.states();
    }

    static String fdb(FdbInfo f) {
        return f.mac() + " dev " + f.device() + (f.destination() != null ? " dst " + host(f.destination()) : "")
                + (f.vni() != null ? " vni " + f.vni() : "") + (f.vlan() != 0 ? " vlan " + f.vlan() : "")
                + (f.self() ? " self" : "") + (f.master() ? " master" : "") + " " + f.states();
    }

    static String rule(FirewallRule r) {
        StringBuilder s = new StringBuilder(r.describe());
        for (NftRuleText t : r.expand()) {
            s.append("\n  chain ").append(t.chain()).append(": ").append(t.listed());
        }
        return s.toString();
    }

    private static String host(InetAddress a) {
        return a.getHostAddress();
    }
}
