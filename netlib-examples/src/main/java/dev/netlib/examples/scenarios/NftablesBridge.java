package dev.netlib.examples.scenarios;

import dev.netlib.error.NetlibException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.linux.nft.NftFirewall;
import dev.netlib.linux.nft.NftFirewalls;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.NetnsRef;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A Linux backend whose nftables part is not wired in yet, completed through the SPI: every change
 * and read goes to it, and netlib's nftables table is handled by {@link NftFirewalls}, each
 * namespace's NETLINK_NETFILTER socket opened inside it through {@link Backend#run}. Used by the
 * demo only while {@code LinuxBackend.applyFirewall} reports EOPNOTSUPP.
 */
final class NftablesBridge implements Backend {
    private final Backend linux;
    private final NftFirewalls firewalls;

    private NftablesBridge(Backend linux) {
        this.linux = linux;
        this.firewalls = new NftFirewalls(ref -> {
            try {
                return linux.run(ref, NftFirewall::open);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new NetlibException("cannot open nftables in " + ref.describe() + ": " + e, e);
            }
        });
    }

    /** {@code linux} itself if it manages nftables, else the bridge around it. */
    static Backend complete(Backend linux) {
        try {
            linux.firewallRules(linux.root());
            return linux;
        } catch (NotSupportedException e) {
            return new NftablesBridge(linux);
        }
    }

    @Override
    public String name() {
        return linux.name() + "+nft";
    }

    @Override
    public NetnsRef root() {
        return linux.root();
    }

    @Override
    public NetnsRef createNamespace(String nameOrNull) {
        return linux.createNamespace(nameOrNull);
    }

    @Override
    public NetnsRef openNamespace(NamespaceLocator locator) {
        return linux.openNamespace(locator);
    }

    @Override
    public void deleteNamespace(NetnsRef ns) {
        firewalls.release(ns);
        linux.deleteNamespace(ns);
    }

    @Override
    public void release(NetnsRef ns) {
        linux.release(ns);
    }

    @Override
    public List<String> listNamespaces() {
        return linux.listNamespaces();
    }

    @Override
    public int namespaceId(NetnsRef in, NetnsRef target) {
        return linux.namespaceId(in, target);
    }

    @Override
    public <T> T run(NetnsRef ns, Callable<T> task) throws Exception {
        return linux.run(ns, task);
    }

    @Override
    public void apply(NetnsRef ns, List<? extends KernelChange> changes) {
        linux.apply(ns, changes);
    }

    @Override
    public List<LinkInfo> links(NetnsRef ns) {
        return linux.links(ns);
    }

    @Override
    public Optional<LinkInfo> link(NetnsRef ns, String name) {
        return linux.link(ns, name);
    }

    @Override
    public List<AddressInfo> addresses(NetnsRef ns) {
        return linux.addresses(ns);
    }

    @Override
    public List<RouteInfo> routes(NetnsRef ns) {
        return linux.routes(ns);
    }

    @Override
    public List<NeighborInfo> neighbors(NetnsRef ns) {
        return linux.neighbors(ns);
    }

    @Override
    public List<FdbInfo> fdb(NetnsRef ns) {
        return linux.fdb(ns);
    }

    @Override
    public String readSysctl(NetnsRef ns, String key) {
        return linux.readSysctl(ns, key);
    }

    @Override
    public void writeSysctl(NetnsRef ns, String key, String value) {
        linux.writeSysctl(ns, key, value);
    }

    @Override
    public void applyFirewall(NetnsRef ns, List<FirewallChange> changes) {
        firewalls.apply(ns, changes);
    }

    @Override
    public List<FirewallRule> firewallRules(NetnsRef ns) {
        return firewalls.rules(ns);
    }

    @Override
    public void close() {
        firewalls.close();
        linux.close();
    }
}
