package dev.netlib.network;

import dev.netlib.Batch;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.ipam.IpamStore;
import dev.netlib.nat.NatRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one host context every operation class and driver shares: the host handle, the stores (as
 * {@link State}s by scope), the firewall, the hosts files, the drivers, the operation runner and the
 * namespace handles given to this process. Drivers see it only as a {@link HostContext}.
 */
final class Host implements HostContext {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    final Netlib host;
    final State local;
    final State global;
    final Firewall firewall;
    final HostsFiles hosts;
    final OperationRunner runner = new OperationRunner();
    final String defaultBridgeName;
    final IpPrefix defaultSubnet;
    /** Container name -> the namespace handle given to connect in this process. */
    final Map<String, Namespace> liveNamespaces = new ConcurrentHashMap<>();
    private final Map<DriverKind, Driver> drivers;

    Host(Netlib host, IpamStore localStore, IpamStore globalStore, java.nio.file.Path etcNetns, boolean firewall,
            String defaultBridgeName, IpPrefix defaultSubnet, Map<DriverKind, Driver> extraDrivers) {
        this.host = host;
        this.local = new State(localStore, false);
        this.global = globalStore == null || globalStore == localStore ? local : new State(globalStore, true);
        this.firewall = new Firewall(host, firewall);
        this.hosts = new HostsFiles(etcNetns);
        this.defaultBridgeName = defaultBridgeName;
        this.defaultSubnet = defaultSubnet;
        Map<DriverKind, Driver> d = new EnumMap<>(DriverKind.class);
        d.put(DriverKind.BRIDGE, BridgeDriver.INSTANCE);
        d.put(DriverKind.MACVLAN, MacvlanDriver.INSTANCE);
        d.putAll(extraDrivers);
        this.drivers = Map.copyOf(d);
    }

    Driver driver(DriverKind kind) {
        Driver d = drivers.get(kind);
        if (d == null && kind == DriverKind.OVERLAY) {
            throw new InvalidConfigException("overlay networks need a cluster store shared by the hosts: open with "
                    + "Networks.builder(host).cluster(Cluster.of(EtcdClusterStore.connect(URL), HostId.of(NAME), VTEP_ADDRESS))");
        }
        if (d == null) {
            throw new InvalidConfigException("the " + kind.word() + " driver is not available here; use bridge or macvlan"
                    + " (or register one with Networks.Builder#driver)");
        }
        return d;
    }

    State state(Driver.Scope scope) {
        return scope == Driver.Scope.GLOBAL ? global : local;
    }

    State stateOf(NetworkConfig n) {
        return state(driver(n.driver()).scope());
    }

    /** The distinct states (one if both scopes share a store). */
    List<State> states() {
        return global == local ? List.of(local) : List.of(local, global);
    }

    Optional<NetworkConfig> network(String name) {
        Optional<NetworkConfig> n = local.network(name);
        return n.isPresent() || global == local ? n : global.network(name);
    }

    NetworkConfig requireNetwork(String name) {
        return network(name).orElseThrow(() -> new NetworkNotFoundException("network " + name + " not found"));
    }

    /** A container's endpoints on every scope, eth0 first. */
    List<EndpointConfig> endpointsOf(String container) {
        if (global == local) {
            return local.endpointsOf(container);
        }
        List<EndpointConfig> out = new ArrayList<>(local.endpointsOf(container));
        out.addAll(global.endpointsOf(container));
        out.sort(State.BY_INTERFACE);
        return out;
    }

    /** The container's namespace: the handle given to connect in this process, else opened by name; null if gone. */
    Namespace namespaceOf(EndpointConfig e) {
        Namespace live = liveNamespaces.get(e.container());
        if (live != null && !live.isClosed()) {
            // a handle outlives the namespace's name if someone ran `ip netns del`: then it is gone for us too
            if (live.name().isEmpty() || host.namespaces().list().contains(live.name().get())) {
                return live;
            }
            return null;
        }
        if (e.netnsName() == null) {
            return null;
        }
        try {
            return host.namespaces().open(e.netnsName());
        } catch (NotFoundException | InvalidConfigException ex) {
            return null;
        } catch (NetlibException ex) {
            if (!host.namespaces().list().contains(e.netnsName())) {
                return null;
            }
            throw ex;
        }
    }

    /** Closes {@code ns} if this process opened it only for the operation (not a handle given to connect). */
    void closeIfOpened(String container, Namespace ns) {
        if (ns != null && liveNamespaces.get(container) != ns) {
            ns.close();
        }
    }

    // ---- HostContext ----------------------------------------------------------------------------

    @Override
    public Netlib host() {
        return host;
    }

    @Override
    public IpamStore store(Driver.Scope scope) {
        return state(scope).store();
    }

    @Override
    public boolean firewallEnabled() {
        return firewall.enabled();
    }

    @Override
    public void addRules(Journal j, List<NatRule> rules) {
        firewall.add(j, rules);
    }

    @Override
    public void addMissingRules(Journal j, List<NatRule> wanted) {
        firewall.addMissing(j, wanted);
    }

    @Override
    public void removeRules(Journal j, List<NatRule> rules) {
        firewall.remove(j, rules);
    }

    @Override
    public List<NatRule> installedRules() {
        return firewall.installed();
    }

    @Override
    public List<NatRule> missingRules(List<NatRule> wanted) {
        return firewall.missing(wanted);
    }

    @Override
    public List<NetworkConfig> networks() {
        List<NetworkConfig> out = new ArrayList<>();
        states().forEach(s -> out.addAll(s.networks()));
        return out;
    }

    @Override
    public void enableForwarding(Journal j) {
        setSysctl(j, "net.ipv4.ip_forward", host.sysctls().get("net.ipv4.ip_forward"), "containers' traffic is routed through it");
    }

    @Override
    public void enableBridgeNetfilter(Journal j) {
        String key = "net.bridge.bridge-nf-call-iptables";
        String before;
        try {
            before = host.sysctls().get(key);
        } catch (NotFoundException e) {
            // no br_netfilter: bridged frames never reach the ip hooks, so the ICC rule cannot bite
            LOG.warn("cannot read {} in {} ({}): load br_netfilter for icc=false to take effect", key, host.namespace(), e.getMessage());
            return;
        }
        setSysctl(j, key, before, "inter-container traffic of a bridge is filtered there");
    }

    private void setSysctl(Journal j, String key, String before, String why) {
        if (!"1".equals(before)) {
            LOG.info("enabling {} in {} ({})", key, host.namespace(), why);
            host.sysctls().set(key, "1");
            j.undo("sysctl " + key + "=" + before, () -> host.sysctls().set(key, before));
        }
    }

    @Override
    public void configureInside(NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown) {
        // lo comes up with the first interface and is not taken down again on undo: a namespace
        // needs it anyway, and Linux keeps 127.0.0.1 on lo after a down, so it could not be undone
        // exactly. The address and route die with the interface, whose undo is already registered.
        Batch b = host.in(container).batch();
        if (loDown) {
            b.linkUp("lo");
        }
        b.addAddress(e.ifName(), e.address().toString());
        if (e.defaultRoute()) {
            b.addDefaultRoute(IpAddresses.format(n.gateway()));
        }
        b.apply();
    }

    @Override
    public boolean loDown(Namespace container) {
        return host.in(container).findLink("lo").map(l -> !l.adminUp()).orElse(false);
    }
}
