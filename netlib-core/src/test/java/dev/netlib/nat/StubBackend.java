package dev.netlib.nat;

import dev.netlib.fake.nft.FakeFirewall;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Just enough of a backend for the NAT API tests (until FakeKernel lands): addresses, sysctls, FakeFirewall. */
final class StubBackend implements Backend {
    final FakeFirewall firewall = new FakeFirewall();
    final List<AddressInfo> addresses = new ArrayList<>();
    final Map<String, String> sysctls = new HashMap<>(Map.of("net.ipv4.ip_forward", "0"));
    int firewallCalls;

    private final NetnsRef root = new NetnsRef() {
        @Override public Optional<String> name() { return Optional.empty(); }
        @Override public String describe() { return "stub netns"; }
        @Override public long inode() { return 1; }
    };

    void address(String device, String prefix) {
        addresses.add(new AddressInfo(addresses.size() + 2, device, IpPrefix.parse(prefix), RouteScope.UNIVERSE));
    }

    @Override public String name() { return "stub"; }
    @Override public NetnsRef root() { return root; }
    @Override public NetnsRef createNamespace(String nameOrNull) { throw new UnsupportedOperationException(); }
    @Override public NetnsRef openNamespace(NamespaceLocator locator) { throw new UnsupportedOperationException(); }
    @Override public void deleteNamespace(NetnsRef ns) { throw new UnsupportedOperationException(); }
    @Override public void release(NetnsRef ns) {}
    @Override public List<String> listNamespaces() { return List.of(); }
    @Override public int namespaceId(NetnsRef in, NetnsRef target) { return -1; }
    @Override public <T> T run(NetnsRef ns, Callable<T> task) throws Exception { return task.call(); }
    @Override public void apply(NetnsRef ns, List<? extends KernelChange> changes) { throw new UnsupportedOperationException(); }
    @Override public List<LinkInfo> links(NetnsRef ns) { return List.of(); }
    @Override public Optional<LinkInfo> link(NetnsRef ns, String name) { return Optional.empty(); }
    @Override public List<AddressInfo> addresses(NetnsRef ns) { return List.copyOf(addresses); }
    @Override public List<RouteInfo> routes(NetnsRef ns) { return List.of(); }
    @Override public List<NeighborInfo> neighbors(NetnsRef ns) { return List.of(); }
    @Override public List<FdbInfo> fdb(NetnsRef ns) { return List.of(); }
    @Override public String readSysctl(NetnsRef ns, String key) { return sysctls.getOrDefault(key, ""); }
    @Override public void writeSysctl(NetnsRef ns, String key, String value) { sysctls.put(key, value); }
    @Override public void close() {}

    /** Runs once, just before the next batch: another process's change between a plan and its batch. */
    Runnable beforeNextBatch;

    @Override
    public List<String> applyFirewall(NetnsRef ns, List<FirewallChange> changes) {
        Runnable before = beforeNextBatch;
        beforeNextBatch = null;
        if (before != null) {
            before.run();
        }
        firewallCalls++;
        return firewall.apply(ns, changes).commands();
    }

    @Override
    public List<FirewallRule> firewallRules(NetnsRef ns) {
        return firewall.rules(ns);
    }
}
