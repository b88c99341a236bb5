package dev.netlib.linux.nft;

import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.NetnsRef;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.value.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Until LinuxBackend lands: the firewall part of a backend on the real kernel ({@link NftFirewalls}
 * over sockets opened inside the test namespace), sysctls read and written from a thread inside the
 * namespace, addresses read with {@code ip -o -4 addr} (test code may run ip). The rest is unsupported.
 */
final class NftTestBackend implements Backend {
    private final NlfNetns ns;
    private final NetnsRef ref;
    private final NftFirewalls firewalls;

    NftTestBackend(NlfNetns ns) {
        this.ns = ns;
        long inode;
        try {
            inode = ((Number) Files.getAttribute(Path.of("/var/run/netns/" + ns.name()), "unix:ino")).longValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long ino = inode;
        this.ref = new NetnsRef() {
            @Override public Optional<String> name() { return Optional.of(ns.name()); }
            @Override public String describe() { return "netns " + ns.name(); }
            @Override public long inode() { return ino; }
        };
        this.firewalls = new NftFirewalls(r -> ns.call(NftFirewall::open));
    }

    @Override public String name() { return "linux-nft-test"; }
    @Override public NetnsRef root() { return ref; }
    @Override public NetnsRef createNamespace(String nameOrNull) { throw new UnsupportedOperationException(); }
    @Override public NetnsRef openNamespace(NamespaceLocator locator) { throw new UnsupportedOperationException(); }
    @Override public void deleteNamespace(NetnsRef n) { throw new UnsupportedOperationException(); }
    @Override public void release(NetnsRef n) { firewalls.release(n); }
    @Override public List<String> listNamespaces() { return List.of(); }
    @Override public int namespaceId(NetnsRef in, NetnsRef target) { return -1; }
    @Override public <T> T run(NetnsRef n, Callable<T> task) { return ns.call(task); }
    @Override public void apply(NetnsRef n, List<? extends KernelChange> changes) { throw new UnsupportedOperationException(); }
    @Override public List<LinkInfo> links(NetnsRef n) { return List.of(); }
    @Override public Optional<LinkInfo> link(NetnsRef n, String name) { return Optional.empty(); }
    @Override public List<RouteInfo> routes(NetnsRef n) { return List.of(); }
    @Override public List<NeighborInfo> neighbors(NetnsRef n) { return List.of(); }
    @Override public List<FdbInfo> fdb(NetnsRef n) { return List.of(); }

    private static final Pattern ADDR = Pattern.compile("^(\\d+):\\s+(\\S+)\\s+inet\\s+(\\S+)");

    @Override
    public List<AddressInfo> addresses(NetnsRef n) {
        List<AddressInfo> out = new ArrayList<>();
        for (String line : ns.ip("-o", "-4", "addr", "show").split("\n")) {
            Matcher m = ADDR.matcher(line);
            if (m.find()) {
                out.add(new AddressInfo(Integer.parseInt(m.group(1)), m.group(2), IpPrefix.parse(m.group(3)), RouteScope.UNIVERSE));
            }
        }
        return out;
    }

    @Override
    public String readSysctl(NetnsRef n, String key) {
        return ns.call(() -> Files.readString(Path.of("/proc/sys/" + key.replace('.', '/')), StandardCharsets.UTF_8));
    }

    @Override
    public void writeSysctl(NetnsRef n, String key, String value) {
        ns.call(() -> Files.writeString(Path.of("/proc/sys/" + key.replace('.', '/')), value));
    }

    @Override
    public void applyFirewall(NetnsRef n, List<FirewallChange> changes) {
        firewalls.apply(n, changes);
    }

    @Override
    public List<FirewallRule> firewallRules(NetnsRef n) {
        return firewalls.rules(n);
    }

    @Override
    public void close() {
        firewalls.close();
    }
}
