package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.ipam.IpPool;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.ipam.PoolNotFoundException;
import dev.netlib.ipam.SubnetAllocator;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's network model on one host, as a library: named networks (bridge, macvlan) with a subnet
 * and gateway, endpoints that connect container namespaces to them, name resolution through hosts
 * files, published ports, and the none / host / container modes.
 *
 * <p>Every composite operation (create, connect, disconnect, remove, publish) is all or nothing: it
 * keeps an undo journal, and a failure at any step undoes the earlier ones (kernel objects, rules,
 * leases, stored definitions) before the exception leaves. Definitions live in a {@link dev.netlib.ipam.IpamStore}
 * so another process (or a later one) reopens them; {@link #reconcile} compares store and kernel.
 *
 * <pre>{@code
 * Networks networks = Networks.open(host, store);
 * networks.create("my_net2").subnet("172.20.18.0/24").create();
 * networks.endpoint("my_net2", box5).name("box5").ip("172.20.18.6").connect();
 * networks.connect("bridge", box1);                 // the default network, created on demand
 * networks.resolve("box5", "box6");                 // names on user-defined networks
 * }</pre>
 *
 * Thread-safe: operations of one instance run one at a time; instances in several processes sharing
 * a store are kept apart by the store's compare-and-swap.
 */
public final class Networks {
    private static final Logger LOG = LoggerFactory.getLogger(Networks.class);

    /** The pre-defined network's name, as in Docker. */
    public static final String DEFAULT_NETWORK = "bridge";

    private final Netlib host;
    private final State state;
    private final HostsFiles hosts;
    private final Firewall firewall;
    private final String defaultBridgeName;
    private final IpPrefix defaultSubnet;
    final Map<String, Namespace> liveNamespaces = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    private Networks(Builder b) {
        this.host = b.host;
        this.state = new State(b.store);
        this.hosts = new HostsFiles(b.etcNetns);
        this.firewall = new Firewall(b.host, b.firewall);
        this.defaultBridgeName = b.defaultBridgeName;
        this.defaultSubnet = b.defaultSubnet;
    }

    /** Options of a {@link Networks}. */
    public static final class Builder {
        private final Netlib host;
        private IpamStore store = new MemoryIpamStore();
        private Path etcNetns = Path.of("/etc/netns");
        private boolean firewall = true;
        private String defaultBridgeName = "docker0";
        private IpPrefix defaultSubnet = AddressPlanner.DEFAULT_BRIDGE_SUBNET;

        private Builder(Netlib host) {
            this.host = Objects.requireNonNull(host, "host handle");
        }

        /**
         * Where definitions and leases are kept: the IPAM store ({@code FileIpamStore} on one host,
         * etcd across hosts); default a fresh in-memory store, forgotten with the JVM.
         */
        public Builder store(IpamStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The root of the per-namespace /etc files (default /etc/netns); null writes no hosts files. */
        public Builder etcNetns(Path root) {
            this.etcNetns = root;
            return this;
        }

        /** Without nftables rules (no masquerade, isolation or publishing), e.g. on a backend without nftables. */
        public Builder firewall(boolean enabled) {
            this.firewall = enabled;
            return this;
        }

        /** The default network's bridge (default docker0). */
        public Builder defaultBridge(String name) {
            this.defaultBridgeName = InterfaceName.validate(name);
            return this;
        }

        /** The default network's subnet (default 172.17.0.0/16). */
        public Builder defaultSubnet(String subnet) {
            this.defaultSubnet = IpPrefix.parseSubnet(subnet);
            return this;
        }

        /** Opens the networks with what was set. */
        public Networks open() {
            return new Networks(this);
        }
    }

    /** Options for the networks of the host namespace {@code host} (a handle; may be a sandbox namespace's). */
    public static Builder builder(Netlib host) {
        return new Builder(host);
    }

    /**
     * The networks of {@code host} kept on local disk, where the next process finds them: the IPAM's
     * default file store ({@code /var/lib/netlib} as root; see {@code FileIpamStore.defaultDirectory()}),
     * hosts files under /etc/netns.
     */
    public static Networks openDefault(Netlib host) {
        return builder(host).store(dev.netlib.ipam.FileIpamStore.openDefault()).open();
    }

    /** The networks of {@code host} kept in {@code store}, with /etc/netns for hosts files. */
    public static Networks open(Netlib host, IpamStore store) {
        return builder(host).store(store).open();
    }

    // ---- for drivers ------------------------------------------------------------------------

    Netlib host() {
        return host;
    }

    State state() {
        return state;
    }

    Firewall firewall() {
        return firewall;
    }

    /** net.ipv4.ip_forward=1 in the host namespace (Docker needs it for bridges); undone if it was off. */
    void enableForwarding(Journal j) {
        String before = host.sysctls().get("net.ipv4.ip_forward");
        if (!"1".equals(before)) {
            LOG.info("enabling net.ipv4.ip_forward in {} (containers' traffic is routed through it)", host.namespace());
            host.sysctls().set("net.ipv4.ip_forward", "1");
            j.undo("sysctl net.ipv4.ip_forward=" + before, () -> host.sysctls().set("net.ipv4.ip_forward", before));
        }
    }

    /**
     * net.bridge.bridge-nf-call-iptables=1 in the host namespace, so bridged traffic passes the ip
     * hooks where the ICC rule drops it (needs the br_netfilter module); undone if it was off.
     */
    void enableBridgeNetfilter(Journal j) {
        String key = "net.bridge.bridge-nf-call-iptables";
        String before;
        try {
            before = host.sysctls().get(key);
        } catch (NotFoundException e) {
            // no br_netfilter: bridged frames never reach the ip hooks, so the ICC rule cannot bite
            LOG.warn("cannot read {} in {} ({}): load br_netfilter for icc=false to take effect", key, host.namespace(), e.getMessage());
            return;
        }
        if (!"1".equals(before)) {
            LOG.info("enabling {} in {} (inter-container traffic of a bridge is filtered there)", key, host.namespace());
            host.sysctls().set(key, "1");
            j.undo("sysctl " + key + "=" + before, () -> host.sysctls().set(key, before));
        }
    }

    /** Inside the container, in one batch: lo up if {@code loDown}, the address, the default route if it is this endpoint's. */
    void configureInside(NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown) {
        // lo comes up with the first interface and is not taken down again on undo: a namespace
        // needs it anyway, and Linux keeps 127.0.0.1 on lo after a down, so it could not be undone
        // exactly. The address and route die with the interface, whose undo is already registered.
        BridgeDriver.insideBatch(host.in(container), e, n, loDown).apply();
    }

    /** True if the namespace's {@code lo} exists and is administratively down. Equivalent to: {@code ip link show lo}. */
    static boolean loDown(Netlib inside) {
        return inside.findLink("lo").map(l -> !l.adminUp()).orElse(false);
    }

    private static boolean loDown(List<LinkInfo> links) {
        return links.stream().anyMatch(l -> l.name().equals("lo") && !l.adminUp());
    }

    // ---- networks ---------------------------------------------------------------------------

    /** A new network, inert until {@link NetworkBuilder#create()}. Equivalent to: {@code docker network create NAME}. */
    public NetworkBuilder create(String name) {
        return new NetworkBuilder(this, name);
    }

    Network create(NetworkBuilder b) {
        synchronized (lock) {
            if (state.network(b.name).isPresent()) {
                throw new InvalidConfigException("network with name " + b.name + " already exists");
            }
            if (b.driver == DriverKind.MACVLAN && b.device == null) {
                throw new InvalidConfigException("macvlan network " + b.name + " needs a parent link: call parent(\"eth0\")");
            }
            List<NetworkConfig> existing = state.networks();
            if (b.subnet != null) {
                for (NetworkConfig n : existing) {
                    if (n.subnet().overlaps(b.subnet)) {
                        throw new InvalidConfigException("subnet " + b.subnet + " overlaps with network " + n.name() + "'s subnet " + n.subnet()
                                + " (Docker: Pool overlaps with other one on this address space)");
                    }
                }
                if (b.gateway != null && !b.subnet.contains(b.gateway)) {
                    throw new InvalidConfigException("gateway " + IpAddresses.format(b.gateway) + " is outside the subnet " + b.subnet);
                }
            }
            String id = Names.randomId();
            String device = b.device != null ? b.device : b.defaultNetwork ? defaultBridgeName : "br-" + id.substring(0, 12);
            Driver driver = Driver.of(b.driver);
            IpPrefix provisional = b.subnet != null ? b.subnet : defaultSubnet;
            driver.validate(this, config(b, id, device, provisional));

            Journal j = new Journal("create network " + b.name);
            NetworkConfig n;
            try {
                PendingNote pending = beginPending(j, new Pending("create network " + b.name, true, State.networkKey(b.name),
                        b.driver == DriverKind.BRIDGE ? List.of(Pending.link(null, device)) : List.of(),
                        List.of("subnet|" + b.name, "pool|" + b.name)));
                // the subnet lease (SubnetAllocator, compare-and-swap: racing processes never share a subnet)
                String owner = State.subnetOwner(b.name);
                IpPrefix subnet = state.around(j, SubnetAllocator.KEY, () -> {
                    if (b.subnet != null) {
                        return state.subnets().reserve(b.subnet, owner);
                    }
                    if (b.defaultNetwork) {
                        return state.subnets().reserve(defaultSubnet, owner);
                    }
                    List<IpPrefix> avoid = new ArrayList<>();
                    avoid.add(defaultSubnet); // kept for the default network even before it exists, as docker0 always is
                    for (AddressInfo a : host.addresses().list()) {
                        if (a.address().isIpv4() && !"lo".equals(a.device())) {
                            avoid.add(a.address().network());
                        }
                    }
                    return state.subnets().allocate(owner, avoid);
                }, () -> state.subnets().subnetOf(owner).ifPresent(s -> state.subnets().release(s)));
                n = config(b, id, device, subnet);
                if (!subnet.contains(n.gateway())) {
                    throw new InvalidConfigException("gateway " + IpAddresses.format(n.gateway()) + " is outside the subnet " + subnet);
                }
                // the address pool, with the gateway reserved
                state.around(j, State.poolKey(n.name()), () -> IpPool.builder(state.store(), State.poolName(n.name()))
                        .subnet(subnet).gateway(n.gateway()).create(), () -> state.pool(n.name()).delete());
                driver.create(this, n, j);
                state.create(j, State.networkKey(n.name()), n.encode(), "network with name " + n.name() + " was just created by another process");
                endPending(pending);
                j.commit();
            } catch (RuntimeException e) {
                j.rollback(e);
                throw e;
            }
            LOG.debug("created network {}", n);
            return new Network(this, n);
        }
    }

    private static NetworkConfig config(NetworkBuilder b, String id, String device, IpPrefix subnet) {
        InetAddress gateway = b.gateway != null ? b.gateway : subnet.firstUsable();
        return new NetworkConfig(b.name, id, b.driver, subnet, gateway, b.subnet != null, device, b.mtu, b.icc,
                b.masquerade && b.driver == DriverKind.BRIDGE, b.internal, b.defaultNetwork);
    }

    /** The network named {@code name}; fails with Docker's "network NAME not found". Equivalent to: {@code docker network inspect NAME}. */
    public Network network(String name) {
        return find(name).orElseThrow(() -> new NetworkNotFoundException("network " + name + " not found"));
    }

    /** The network named {@code name}, if defined. Equivalent to: {@code docker network ls --filter name=^NAME$}. */
    public Optional<Network> find(String name) {
        return state.network(name).map(n -> new Network(this, n));
    }

    /** Every network, by name. Equivalent to: {@code docker network ls}. */
    public List<Network> list() {
        return state.networks().stream().map(n -> new Network(this, n)).toList();
    }

    /**
     * The default network {@code bridge} (docker0-like bridge, 172.17.0.0/16, gateway .1), created on
     * first use. Its containers do not resolve each other by name and cannot have static addresses.
     *
     * <p>Equivalent to: what dockerd does at start: {@code ip link add docker0 type bridge},
     * {@code ip addr add 172.17.0.1/16 dev docker0}, {@code ip link set docker0 up} and the masquerade rule.
     */
    public Network defaultNetwork() {
        synchronized (lock) {
            Optional<Network> n = find(DEFAULT_NETWORK);
            return n.isPresent() ? n.get() : new NetworkBuilder(this, DEFAULT_NETWORK).asDefault().create();
        }
    }

    /** Equivalent to: {@code docker network inspect NAME}. */
    public NetworkInspection inspect(String name) {
        NetworkConfig n = requireNetwork(name);
        Map<String, String> options = new LinkedHashMap<>();
        if (n.driver() == DriverKind.BRIDGE) {
            options.put("com.docker.network.bridge.name", n.device());
            options.put("com.docker.network.bridge.enable_icc", Boolean.toString(n.icc()));
            options.put("com.docker.network.bridge.enable_ip_masquerade", Boolean.toString(n.masquerade()));
            options.put("com.docker.network.bridge.default_bridge", Boolean.toString(n.defaultNetwork()));
        } else {
            options.put("parent", n.device());
            options.put("macvlan_mode", "bridge");
        }
        if (n.mtu() != null) {
            options.put("com.docker.network.driver.mtu", n.mtu().toString());
        }
        return new NetworkInspection(n, options, state.endpoints(name));
    }

    /**
     * Removes an empty network, all or nothing: its rules, definition and subnet lease, then its
     * bridge. Fails with {@link NetworkInUseException} while endpoints are attached, changing nothing.
     *
     * <p>Equivalent to: {@code docker network rm NAME}, i.e. {@code ip link del br-ID} and the nft rules' removal.
     */
    public void remove(String name) {
        synchronized (lock) {
            NetworkConfig n = requireNetwork(name);
            List<EndpointConfig> eps = state.endpoints(name);
            if (!eps.isEmpty()) {
                throw new NetworkInUseException("error while removing network: network " + name + " id " + n.id()
                        + " has active endpoints (" + String.join(", ", eps.stream().map(EndpointConfig::container).toList()) + ")",
                        eps.stream().map(EndpointConfig::container).toList());
            }
            Journal j = new Journal("remove network " + name);
            try {
                PendingNote pending = beginPending(j, new Pending("remove network " + name, false, State.networkKey(name),
                        n.driver() == DriverKind.BRIDGE ? List.of(Pending.link(null, n.device())) : List.of(),
                        List.of("subnet|" + name, "pool|" + name)));
                state.delete(j, State.networkKey(name));
                state.around(j, State.poolKey(name), () -> {
                    deletePool(name);
                    return null;
                }, () -> IpPool.builder(state.store(), State.poolName(name)).subnet(n.subnet()).gateway(n.gateway()).create());
                state.around(j, SubnetAllocator.KEY, () -> {
                    state.subnets().subnetOf(State.subnetOwner(name)).ifPresent(s -> state.subnets().release(s));
                    return null;
                }, () -> state.subnets().reserve(n.subnet(), State.subnetOwner(name)));
                Driver.of(n.driver()).remove(this, n, j); // rules, then the bridge: the one step that cannot be undone comes last
                endPending(pending);
                j.commit();
            } catch (RuntimeException e) {
                j.rollback(e);
                throw e;
            }
        }
    }

    private void deletePool(String network) {
        try {
            state.pool(network).delete();
        } catch (PoolNotFoundException e) {
            // already gone
        }
    }

    // ---- endpoints --------------------------------------------------------------------------

    /** A connection with options, inert until {@link EndpointBuilder#connect()}. Equivalent to: {@code docker network connect [OPTIONS] NETWORK CONTAINER}. */
    public EndpointBuilder endpoint(String network, Namespace container) {
        return new EndpointBuilder(this, network, container);
    }

    /**
     * Connects a container namespace (named: its name is the container's) to a network as its next
     * interface (eth0, eth1...), all or nothing. Connecting to {@code bridge} first creates the
     * default network if it does not exist yet, as an operation of its own (dockerd has it from the
     * start). Equivalent to: {@code docker network connect NETWORK CONTAINER}.
     */
    public Endpoint connect(String network, Namespace container) {
        return endpoint(network, container).connect();
    }

    Endpoint connect(EndpointBuilder b) {
        synchronized (lock) {
            if (b.ip != null && DEFAULT_NETWORK.equals(b.network)) {
                throw new InvalidConfigException("user specified IP address is supported only when connecting to networks with user configured subnets");
            }
            NetworkConfig n = DEFAULT_NETWORK.equals(b.network) ? defaultNetwork().config() : requireNetwork(b.network);
            String container = b.name;
            List<EndpointConfig> own = state.endpointsOf(container);
            if (own.stream().anyMatch(e -> e.network().equals(n.name()))) {
                throw new InvalidConfigException("endpoint with name " + container + " already exists in network " + n.name());
            }
            if (b.ip != null && !n.userSubnet()) {
                throw new InvalidConfigException("user specified IP address is supported only when connecting to networks with user configured subnets");
            }
            if (!b.ports.isEmpty() && (n.driver() != DriverKind.BRIDGE || !firewall.enabled())) {
                throw new InvalidConfigException("ports can be published only on bridge networks with the firewall enabled");
            }
            IpPool pool = state.pool(n.name());
            if (b.ip != null) {
                AddressPlanner.checkStatic(n.name(), n.subnet(), n.gateway(), b.ip);
                Optional<String> holder = pool.ownerOf(b.ip);
                if (holder.isPresent()) {
                    throw new InvalidConfigException("Address already in use: " + IpAddresses.format(b.ip) + " on network " + n.name()
                            + " (by " + holder.get() + ")");
                }
            }
            Namespace ns = b.container;
            Netlib inside = host.in(ns);
            List<LinkInfo> links = inside.links(); // one dump: the free ethN and whether lo is down
            Set<String> usedNames = new HashSet<>();
            links.forEach(l -> usedNames.add(l.name()));
            own.forEach(e -> usedNames.add(e.ifName()));
            String ifName = null;
            for (int i = 0; ifName == null; i++) {
                if (!usedNames.contains("eth" + i)) {
                    ifName = "eth" + i;
                }
            }
            boolean defaultRoute = !n.internal() && own.stream().noneMatch(EndpointConfig::defaultRoute)
                    && inside.routes().defaults().stream().noneMatch(r -> r.destination().isIpv4());
            String id = Names.randomId();
            Driver driver = Driver.of(n.driver());
            String hostIf = driver.hostInterfaceName(id);
            String netnsName = ns.name().orElse(null);

            Journal j = new Journal("connect " + container + " to " + n.name());
            EndpointConfig e;
            try {
                PendingNote pending = beginPending(j, new Pending("connect " + container + " to " + n.name(), true,
                        State.endpointKey(n.name(), container), pendingLinks(hostIf, netnsName, ifName),
                        List.of("address|" + n.name() + "|" + container)));
                // the address lease (IpPool, compare-and-swap: racing processes never share an address)
                InetAddress[] got = new InetAddress[1];
                InetAddress ip = state.around(j, State.poolKey(n.name()), () -> got[0] = b.ip != null
                        ? pool.allocate(b.ip, container) : pool.allocate(container), () -> pool.release(got[0]));
                e = new EndpointConfig(n.name(), container, id, netnsName, ifName, hostIf, IpPrefix.of(ip, n.subnet().length()),
                        b.mac != null ? b.mac : MacAddress.fromIpv4(ip), b.ip != null, b.aliases, b.ports, defaultRoute);
                driver.attach(this, n, e, ns, loDown(links), j);
                firewall.add(j, publishRules(e));
                state.create(j, State.endpointKey(n.name(), container), e.encode(),
                        "endpoint with name " + container + " was just created in network " + n.name() + " by another process");
                rewriteHosts(j, container, List.of(n));
                endPending(pending);
                j.commit();
            } catch (RuntimeException ex) {
                j.rollback(ex);
                throw ex;
            }
            liveNamespaces.put(container, ns);
            return new Endpoint(this, e);
        }
    }

    /**
     * Disconnects a container, all or nothing: published ports, definition, address lease, hosts
     * files, then the interface (the host end of the veth; its peer in the container goes with it).
     * If the network carried the container's default route, another network's gateway takes over.
     *
     * <p>Equivalent to: {@code docker network disconnect NETWORK CONTAINER}, i.e. {@code ip link del vethX}.
     */
    public void disconnect(String network, String container) {
        synchronized (lock) {
            NetworkConfig n = requireNetwork(network);
            EndpointConfig e = state.endpoint(network, container).orElseThrow(() -> new NetworkNotFoundException(
                    "container " + container + " is not connected to network " + network));
            Namespace ns = namespaceOf(e);
            boolean opened = ns != null && !liveNamespaces.containsKey(container);
            Journal j = new Journal("disconnect " + container + " from " + network);
            try {
                PendingNote pending = beginPending(j, new Pending("disconnect " + container + " from " + network, false,
                        State.endpointKey(network, container), pendingLinks(e.hostIfName(), e.netnsName(), e.ifName()), List.of()));
                forget(j, e);
                rewriteHosts(j, container, List.of(n));
                if (e.defaultRoute() && ns != null) {
                    handOverDefaultRoute(j, n, e, ns);
                }
                Driver.of(n.driver()).detach(this, n, e, ns); // the one step that cannot be undone comes last
                endPending(pending);
                j.commit();
            } catch (RuntimeException ex) {
                j.rollback(ex);
                throw ex;
            } finally {
                if (opened) {
                    ns.close();
                }
            }
            if (state.endpointsOf(container).isEmpty()) {
                liveNamespaces.remove(container);
            }
        }
    }

    /** Journaled: the endpoint's published ports, its definition and its address lease. */
    void forget(Journal j, EndpointConfig e) {
        firewall.remove(j, publishRules(e));
        state.delete(j, State.endpointKey(e.network(), e.container()));
        IpPool pool = state.pool(e.network());
        InetAddress ip = e.address().address();
        state.around(j, State.poolKey(e.network()), () -> {
            if (pool.ownerOf(ip).isPresent()) {
                pool.release(ip);
            }
            return null;
        }, () -> pool.allocate(ip, e.container()));
    }

    /** Disconnects the container from every network (e.g. before deleting its namespace). Equivalent to: {@code docker network disconnect N CONTAINER} for each of its networks. */
    public void disconnectAll(String container) {
        for (EndpointConfig e : state.endpointsOf(container)) {
            disconnect(e.network(), container);
        }
    }

    /**
     * Removes a container the fast way: forgets all its endpoints (published ports, definitions,
     * leases, its and its peers' hosts files), then deletes its namespace, which takes every veth
     * and macvlan of the container with it in one step instead of one request per interface. All
     * or nothing: if anything fails before the namespace is deleted, the rest is put back. The kernel
     * tears a deleted namespace down asynchronously (cleanup_net runs from a workqueue), so the host
     * ends of the veths vanish a moment later (about 100 ms under load), not when this returns.
     *
     * <p>Equivalent to: {@code docker rm -f CONTAINER}, i.e. {@code ip netns del NS}.
     */
    public void deleteContainer(String container, Namespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        synchronized (lock) {
            List<EndpointConfig> eps = state.endpointsOf(container);
            Journal j = new Journal("delete container " + container);
            try {
                List<NetworkConfig> nets = new ArrayList<>();
                List<String> links = new ArrayList<>();
                for (EndpointConfig e : eps) {
                    nets.add(requireNetwork(e.network()));
                    if (e.hostIfName() != null) {
                        links.add(Pending.link(null, e.hostIfName()));
                    }
                }
                PendingNote pending = eps.isEmpty() ? null : beginPending(j, new Pending("delete container " + container, false,
                        State.endpointKey(eps.get(0).network(), container), links, List.of()));
                for (EndpointConfig e : eps) {
                    forget(j, e);
                }
                rewriteHosts(j, container, nets);
                namespace.delete(); // the one step that cannot be undone comes last
                if (pending != null) {
                    endPending(pending);
                }
                j.commit();
            } catch (RuntimeException ex) {
                j.rollback(ex);
                throw ex;
            }
            liveNamespaces.remove(container);
        }
    }

    /** The default route moves to the gateway of the container's next non-internal network. */
    private void handOverDefaultRoute(Journal j, NetworkConfig n, EndpointConfig e, Namespace ns) {
        for (EndpointConfig other : state.endpointsOf(e.container())) {
            NetworkConfig on = state.network(other.network()).orElse(null);
            if (on == null || on.internal() || other.network().equals(n.name())) {
                continue;
            }
            Netlib inside = host.in(ns);
            String gw = IpAddresses.format(on.gateway());
            inside.routes().to("default").via(gw).replace();
            j.undo("ip route replace default via " + IpAddresses.format(n.gateway()),
                    () -> inside.routes().to("default").via(IpAddresses.format(n.gateway())).replace());
            state.replace(j, State.endpointKey(other.network(), other.container()), other.withDefaultRoute(true).encode());
            return;
        }
    }

    /** The container's endpoint on a network, if connected. Equivalent to: {@code docker inspect -f '{{.NetworkSettings.Networks.N}}' CONTAINER}. */
    public Optional<Endpoint> findEndpoint(String network, String container) {
        return state.endpoint(network, container).map(e -> new Endpoint(this, e));
    }

    /** The endpoints attached to a network. Equivalent to: the {@code Containers} of {@code docker network inspect NETWORK}. */
    public List<Endpoint> endpoints(String network) {
        return state.endpoints(network).stream().map(e -> new Endpoint(this, e)).toList();
    }

    /** A container's endpoints, eth0 first. Equivalent to: {@code docker inspect -f '{{.NetworkSettings.Networks}}' CONTAINER}. */
    public List<Endpoint> endpointsOf(String container) {
        return state.endpointsOf(container).stream().map(e -> new Endpoint(this, e)).toList();
    }

    Endpoint publish(String network, String container, String spec) {
        synchronized (lock) {
            NetworkConfig n = requireNetwork(network);
            EndpointConfig e = state.endpoint(network, container).orElseThrow(() -> new NetworkNotFoundException(
                    "container " + container + " is not connected to network " + network));
            if (n.driver() != DriverKind.BRIDGE || !firewall.enabled()) {
                throw new InvalidConfigException("ports can be published only on bridge networks with the firewall enabled");
            }
            NatRule rule = publishRule(e, spec);
            List<String> ports = new ArrayList<>(e.ports());
            ports.add(spec);
            return replacePorts("publish " + spec + " of " + container, e, ports, j -> firewall.add(j, List.of(rule)));
        }
    }

    Endpoint unpublish(String network, String container, String spec) {
        synchronized (lock) {
            EndpointConfig e = state.endpoint(network, container).orElseThrow(() -> new NetworkNotFoundException(
                    "container " + container + " is not connected to network " + network));
            if (!e.ports().contains(spec)) {
                throw new InvalidConfigException("port " + spec + " is not published by " + container + " on " + network
                        + "; published: " + e.ports());
            }
            NatRule rule = publishRule(e, spec);
            List<String> ports = new ArrayList<>(e.ports());
            ports.remove(spec);
            return replacePorts("unpublish " + spec + " of " + container, e, ports, j -> firewall.remove(j, List.of(rule)));
        }
    }

    /** All or nothing: the firewall change, then the endpoint's definition with {@code ports}. */
    private Endpoint replacePorts(String what, EndpointConfig e, List<String> ports, java.util.function.Consumer<Journal> firewallChange) {
        EndpointConfig updated = e.withPorts(ports);
        Journal j = new Journal(what);
        try {
            firewallChange.accept(j);
            state.replace(j, State.endpointKey(e.network(), e.container()), updated.encode());
            j.commit();
        } catch (RuntimeException ex) {
            j.rollback(ex);
            throw ex;
        }
        return new Endpoint(this, updated);
    }

    private static NatRule publishRule(EndpointConfig e, String spec) {
        return NatRule.publish(spec, IpAddresses.format(e.address().address()));
    }

    static List<NatRule> publishRules(EndpointConfig e) {
        return e.ports().stream().map(spec -> publishRule(e, spec)).toList();
    }

    // ---- names --------------------------------------------------------------------------------

    /**
     * What {@code name} resolves to for {@code container}: an endpoint with that container name or
     * alias on a user-defined network both are on (never on the default network, as in Docker).
     *
     * <p>Equivalent to: {@code ip netns exec CONTAINER getent hosts NAME} (Docker: its embedded DNS).
     */
    public Optional<InetAddress> resolve(String container, String name) {
        for (EndpointConfig peer : peersOf(container)) {
            if (peer.container().equals(name) || peer.aliases().contains(name)) {
                return Optional.of(peer.address().address());
            }
        }
        return Optional.empty();
    }

    /** Every name {@code container} can resolve, with its address (what its hosts file lists besides itself). Equivalent to: {@code cat /etc/netns/CONTAINER/hosts}. */
    public Map<String, InetAddress> names(String container) {
        Map<String, InetAddress> out = new LinkedHashMap<>();
        for (EndpointConfig peer : peersOf(container)) {
            out.putIfAbsent(peer.container(), peer.address().address());
            peer.aliases().forEach(a -> out.putIfAbsent(a, peer.address().address()));
        }
        return out;
    }

    /** Endpoints of other containers on the user-defined networks {@code container} is on. */
    List<EndpointConfig> peersOf(String container) {
        return peersOf(container, View.read(state));
    }

    /** Endpoints of other containers on the user-defined networks {@code container} is on, from one read of the store. */
    private static List<EndpointConfig> peersOf(String container, View view) {
        List<EndpointConfig> peers = new ArrayList<>();
        for (EndpointConfig own : view.endpointsOf(container)) {
            NetworkConfig n = view.networks.get(own.network());
            if (n == null || !n.resolvesNames()) {
                continue;
            }
            for (EndpointConfig e : view.byNetwork.getOrDefault(n.name(), List.of())) {
                if (!e.container().equals(container)) {
                    peers.add(e);
                }
            }
        }
        return peers;
    }

    /** Networks and endpoints decoded once, for operations that look at many containers. */
    private record View(Map<String, NetworkConfig> networks, Map<String, List<EndpointConfig>> byNetwork,
            Map<String, List<EndpointConfig>> byContainer) {
        static View read(State state) {
            Map<String, NetworkConfig> nets = new java.util.HashMap<>();
            state.networks().forEach(n -> nets.put(n.name(), n));
            Map<String, List<EndpointConfig>> byNetwork = new java.util.HashMap<>();
            Map<String, List<EndpointConfig>> byContainer = new java.util.HashMap<>();
            for (EndpointConfig e : state.allEndpoints()) {
                byNetwork.computeIfAbsent(e.network(), k -> new ArrayList<>()).add(e);
                byContainer.computeIfAbsent(e.container(), k -> new ArrayList<>()).add(e);
            }
            byContainer.values().forEach(l -> l.sort((a, b) -> Integer.compare(State.ifIndex(a.ifName()), State.ifIndex(b.ifName()))));
            return new View(nets, byNetwork, byContainer);
        }

        List<EndpointConfig> endpointsOf(String container) {
            return byContainer.getOrDefault(container, List.of());
        }
    }
    /**
     * Rewrites the hosts files of {@code container} and of the containers on those of {@code nets}
     * that resolve names: everyone whose file changes when {@code container} joins or leaves them.
     */
    private void rewriteHosts(Journal j, String container, List<NetworkConfig> nets) {
        if (!hosts.enabled()) {
            return;
        }
        View view = View.read(state); // one read for all files: each connect rewrites every peer's file
        Set<String> containers = new LinkedHashSet<>();
        containers.add(container);
        for (NetworkConfig n : nets) {
            if (n.resolvesNames()) {
                view.byNetwork.getOrDefault(n.name(), List.of()).forEach(e -> containers.add(e.container()));
            }
        }
        for (String c : containers) {
            List<EndpointConfig> own = view.endpointsOf(c);
            String netns = own.stream().map(EndpointConfig::netnsName).filter(Objects::nonNull).findFirst()
                    .orElseGet(() -> Optional.ofNullable(liveNamespaces.get(c)).flatMap(Namespace::name).orElse(null));
            if (own.isEmpty()) {
                hosts.remove(j, netns);
            } else {
                hosts.write(j, netns, HostsFiles.render(c, own, peersOf(c, view)));
            }
        }
    }
    // ---- modes --------------------------------------------------------------------------------

    /**
     * Docker's {@code --network none}: a new named namespace with only {@code lo}, up. The caller owns it.
     *
     * <p>Equivalent to: {@code ip netns add NAME; ip -n NAME link set lo up}.
     */
    public Namespace none(String namespaceName) {
        Namespace ns = host.namespaces().create(namespaceName);
        try {
            host.in(ns).link("lo").up();
            return ns;
        } catch (RuntimeException e) {
            try {
                ns.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Docker's {@code --network host}: the host's own namespace; nothing is created. Equivalent to: {@code docker run --network host}. */
    public Namespace hostMode() {
        return host.namespace();
    }

    /**
     * Docker's {@code --network container:OTHER}: a borrowed handle on another container's namespace,
     * found by container name (known to this store), by /var/run/netns name, by path, or by pid.
     * The joiner shares its interfaces and reaches it over 127.0.0.1.
     *
     * <p>Equivalent to: {@code nsenter --net=/var/run/netns/NAME} or {@code nsenter -t PID -n}.
     */
    public Namespace container(String reference) {
        String ref = reference.startsWith("container:") ? reference.substring("container:".length()) : reference;
        Namespace live = liveNamespaces.get(ref);
        if (live != null && !live.isClosed() && live.name().isPresent()) {
            return host.namespaces().open(live.name().get());
        }
        for (EndpointConfig e : state.endpointsOf(ref)) {
            if (e.netnsName() != null) {
                return host.namespaces().open(e.netnsName());
            }
        }
        if (ref.startsWith("/")) {
            return host.namespaces().open(Path.of(ref));
        }
        if (!ref.isEmpty() && ref.chars().allMatch(Character::isDigit)) {
            return host.namespaces().ofPid(Long.parseLong(ref));
        }
        if (host.namespaces().list().contains(ref)) {
            return host.namespaces().open(ref);
        }
        throw new NetworkNotFoundException("no container, namespace or process named " + ref);
    }

    // ---- reconcile ----------------------------------------------------------------------------

    /**
     * Compares the store with the kernel and reports the differences; with {@code repair} fixes them:
     * finishes or rolls back operations a dead process left half-done, rebuilds a network's missing
     * bridge, gateway or rules, re-creates a missing or detached interface in a living container,
     * forgets endpoints whose namespace is gone, releases leases nobody holds, rewrites hosts files
     * that differ from the store, deletes veths on netlib's bridges that no endpoint owns.
     *
     * <p>Equivalent to: what dockerd does at start to clean up after a crash; no single command.
     */
    public ReconcileReport reconcile(boolean repair) {
        synchronized (lock) {
            return new Reconciler(this).run(repair);
        }
    }

    HostsFiles hosts() {
        return hosts;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private NetworkConfig requireNetwork(String name) {
        return state.network(name).orElseThrow(() -> new NetworkNotFoundException("network " + name + " not found"));
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

    /**
     * The link a pending note names for an endpoint: the host end if there is one, else the interface
     * in the container's named namespace; none for an anonymous namespace, which another process
     * could not open anyway (an empty namespace name would mean the host's).
     */
    private static List<String> pendingLinks(String hostIf, String netnsName, String ifName) {
        if (hostIf != null) {
            return List.of(Pending.link(null, hostIf));
        }
        return netnsName != null ? List.of(Pending.link(netnsName, ifName)) : List.of();
    }

    /** A pending note in the store: its key and the version written, so removing it needs no read. */
    private record PendingNote(String key, long version) {}

    private PendingNote beginPending(Journal j, Pending p) {
        String key = State.PENDING + Names.randomId().substring(0, 16);
        return new PendingNote(key, state.create(j, key, p.encode(), "pending key collision"));
    }

    /** The operation is through: the note goes (a failure here leaves it for reconcile, which sees the commit). */
    private void endPending(PendingNote note) {
        try {
            if (!state.store().delete(note.key(), note.version())) {
                state.forceDelete(note.key()); // changed meanwhile: delete whatever is there, as before
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the note {} of a finished operation: {}; reconcile() will", note.key(), e.toString());
        }
    }
}
