package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Docker's network model on one host, as a library: named networks (bridge, macvlan) with a subnet
 * and gateway, endpoints that connect container namespaces to them, name resolution through hosts
 * files, published ports, and the none / host / container modes.
 *
 * <p>Every composite operation (create, connect, disconnect, remove, publish) is all or nothing: it
 * keeps an undo journal of compensations, and a failure at any step undoes exactly what the earlier
 * ones did (kernel objects, rules, leases, records) before the exception leaves. Records live in
 * an {@link IpamStore} as small independent keys, so other processes (or a later one) sharing the
 * store see them and work beside this one; {@link #reconcile} compares store and kernel.
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
 * a store are kept apart by the store's compare-and-swap on each record.
 */
public final class Networks implements AutoCloseable {
    /** The pre-defined network's name, as in Docker. */
    public static final String DEFAULT_NETWORK = NetworkOps.DEFAULT_NETWORK;

    private final Ops ops;
    private final ClusterMembership.Joined agent;

    private Networks(Builder b, ClusterMembership.Joined agent) {
        this.ops = Ops.over(new Host(b.host, b.store, b.globalStore, b.etcNetns, b.firewall, b.defaultBridgeName, b.defaultSubnet, b.drivers));
        this.agent = agent;
    }

    /**
     * Leaves the cluster if {@link Builder#cluster} joined one: this host's endpoints are withdrawn
     * from the other hosts at once (their kernel objects here stay, as the containers do).
     */
    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
    }

    /** Options of a {@link Networks}. */
    public static final class Builder {
        private final Netlib host;
        private IpamStore store = new MemoryIpamStore();
        private IpamStore globalStore;
        private Path etcNetns = Path.of("/etc/netns");
        private boolean firewall = true;
        private String defaultBridgeName = "docker0";
        private IpPrefix defaultSubnet = AddressPlanner.DEFAULT_BRIDGE_SUBNET;
        private final Map<DriverKind, Driver> drivers = new EnumMap<>(DriverKind.class);

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

        /** Where networks of global scope (e.g. overlay) keep records and addresses: the store every host shares; default {@link #store}. */
        public Builder globalStore(IpamStore store) {
            this.globalStore = Objects.requireNonNull(store, "global store");
            return this;
        }

        /** Plugs in the driver of {@code kind} (e.g. overlay), or replaces a built-in one. */
        public Builder driver(DriverKind kind, Driver driver) {
            this.drivers.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(driver, "driver"));
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

        private ClusterMembership cluster;

        /**
         * Joins a cluster of hosts (e.g. {@code Cluster.of(store, HostId.of("h2"), vtep)}): global
         * networks ({@code driver(OVERLAY)}) live in its store, seen by every host at once; {@link
         * #open()} starts the membership on threads of this JVM, {@link Networks#close()} ends it.
         * @param membership the cluster to join
         * @return this builder
         */
        public Builder cluster(ClusterMembership membership) {
            this.cluster = Objects.requireNonNull(membership, "cluster membership");
            return this;
        }

        /** @return the networks of the host, as configured (with {@link #cluster}: the membership started) */
        public Networks open() {
            if (cluster == null) {
                return new Networks(this, null);
            }
            ClusterMembership.Joined joined = cluster.join(host, etcNetns);
            try {
                if (globalStore == null) {
                    globalStore = joined.globalStore();
                }
                joined.drivers().forEach(drivers::putIfAbsent);
                Networks opened = new Networks(this, joined);
                joined.opened(opened);
                return opened;
            } catch (RuntimeException e) {
                joined.close();
                throw e;
            }
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
        return builder(host).store(FileIpamStore.openDefault()).open();
    }

    /** The networks of {@code host} kept in {@code store}, with /etc/netns for hosts files. */
    public static Networks open(Netlib host, IpamStore store) {
        return builder(host).store(store).open();
    }

    State state() {
        return ops.host().local;
    }

    // ---- networks ---------------------------------------------------------------------------

    /** A new network, inert until {@link NetworkBuilder#create()}. Equivalent to: {@code docker network create NAME}. */
    public NetworkBuilder create(String name) {
        return new NetworkBuilder(ops, name);
    }

    /** The network named {@code name}; fails with Docker's "network NAME not found". Equivalent to: {@code docker network inspect NAME}. */
    public Network network(String name) {
        return find(name).orElseThrow(() -> new NetworkNotFoundException("network " + name + " not found"));
    }

    /** The network named {@code name}, if defined. Equivalent to: {@code docker network ls --filter name=^NAME$}. */
    public Optional<Network> find(String name) {
        return ops.host().network(Names.check("network", name)).map(n -> new Network(ops, n));
    }

    /** Every network, by name. Equivalent to: {@code docker network ls}. */
    public List<Network> list() {
        return ops.host().networks().stream().map(n -> new Network(ops, n)).toList();
    }

    /**
     * The default network {@code bridge} (docker0-like bridge, 172.17.0.0/16, gateway .1), created on
     * first use. Its containers do not resolve each other by name and cannot have static addresses.
     *
     * <p>Equivalent to: what dockerd does at start: {@code ip link add docker0 type bridge},
     * {@code ip addr add 172.17.0.1/16 dev docker0}, {@code ip link set docker0 up} and the masquerade rule.
     */
    public Network defaultNetwork() {
        return new Network(ops, ops.networks().defaultNetwork());
    }

    /** Equivalent to: {@code docker network inspect NAME}. */
    public NetworkInspection inspect(String name) {
        return ops.networks().inspect(name);
    }

    /**
     * Removes an empty network, all or nothing: its rules, definition and subnet lease, then its
     * bridge. Fails with {@link NetworkInUseException} while endpoints are attached, changing nothing.
     *
     * <p>Equivalent to: {@code docker network rm NAME}, i.e. {@code ip link del br-ID} and the nft rules' removal.
     */
    public void remove(String name) {
        ops.networks().remove(name);
    }

    // ---- endpoints --------------------------------------------------------------------------

    /** A connection with options, inert until {@link EndpointBuilder#connect()}. Equivalent to: {@code docker network connect [OPTIONS] NETWORK CONTAINER}. */
    public EndpointBuilder endpoint(String network, Namespace container) {
        return new EndpointBuilder(ops, network, container);
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

    /**
     * Disconnects a container, all or nothing: published ports, definition, address lease, hosts
     * files, then the interface (the host end of the veth; its peer in the container goes with it).
     * If the network carried the container's default route, another network's gateway takes over.
     *
     * <p>Equivalent to: {@code docker network disconnect NETWORK CONTAINER}, i.e. {@code ip link del vethX}.
     */
    public void disconnect(String network, String container) {
        ops.endpoints().disconnect(network, container);
    }

    /** Disconnects the container from every network (e.g. before deleting its namespace). Equivalent to: {@code docker network disconnect N CONTAINER} for each of its networks. */
    public void disconnectAll(String container) {
        ops.containers().disconnectAll(container);
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
        ops.containers().deleteContainer(container, namespace);
    }

    /** The container's endpoint on a network, if connected. Equivalent to: {@code docker inspect -f '{{.NetworkSettings.Networks.N}}' CONTAINER}. */
    public Optional<Endpoint> findEndpoint(String network, String container) {
        return ops.host().network(network).flatMap(n -> ops.host().stateOf(n).endpoint(network, container)).map(e -> new Endpoint(ops, e));
    }

    /** The endpoints attached to a network. Equivalent to: the {@code Containers} of {@code docker network inspect NETWORK}. */
    public List<Endpoint> endpoints(String network) {
        return network(network).endpoints();
    }

    /** A container's endpoints, eth0 first. Equivalent to: {@code docker inspect -f '{{.NetworkSettings.Networks}}' CONTAINER}. */
    public List<Endpoint> endpointsOf(String container) {
        return ops.host().endpointsOf(Names.check("container", container)).stream().map(e -> new Endpoint(ops, e)).toList();
    }

    // ---- names --------------------------------------------------------------------------------

    /**
     * What {@code name} resolves to for {@code container}: an endpoint with that container name or
     * alias on a user-defined network both are on (never on the default network, as in Docker).
     *
     * <p>Equivalent to: {@code ip netns exec CONTAINER getent hosts NAME} (Docker: its embedded DNS).
     */
    public Optional<InetAddress> resolve(String container, String name) {
        return ops.names().resolve(container, name);
    }

    /** Every name {@code container} can resolve, with its address (what its hosts file lists besides itself). Equivalent to: {@code cat /etc/netns/CONTAINER/hosts}. */
    public Map<String, InetAddress> names(String container) {
        return ops.names().names(container);
    }

    // ---- modes --------------------------------------------------------------------------------

    /**
     * Docker's {@code --network none}: a new named namespace with only {@code lo}, up. The caller owns it.
     *
     * <p>Equivalent to: {@code ip netns add NAME; ip -n NAME link set lo up}.
     */
    public Namespace none(String namespaceName) {
        return ops.containers().none(namespaceName);
    }

    /** Docker's {@code --network host}: the host's own namespace; nothing is created. Equivalent to: {@code docker run --network host}. */
    public Namespace hostMode() {
        return ops.host().host.namespace();
    }

    /**
     * Docker's {@code --network container:OTHER}: a borrowed handle on another container's namespace,
     * found by container name (known to this store), by /var/run/netns name, by path, or by pid.
     * The joiner shares its interfaces and reaches it over 127.0.0.1.
     *
     * <p>Equivalent to: {@code nsenter --net=/var/run/netns/NAME} or {@code nsenter -t PID -n}.
     */
    public Namespace container(String reference) {
        return ops.containers().container(reference);
    }

    // ---- reconcile ----------------------------------------------------------------------------

    /**
     * Compares the store with the kernel both ways and reports the differences; with {@code repair}
     * fixes them. It touches only work whose owner process is provably gone: it finishes or rolls
     * back operations a dead process left half-done, rebuilds a network's missing bridge, gateway or
     * rules, re-creates a missing or detached interface in a living container, forgets endpoints
     * whose namespace is gone, releases leases nobody holds and leases what endpoints hold, removes
     * rules and bridge ports no record wants, and rewrites hosts files that differ from the store.
     *
     * <p>Equivalent to: what dockerd does at start to clean up after a crash; no single command.
     */
    public ReconcileReport reconcile(boolean repair) {
        return ops.host().runner.exclusive(() -> StoreLock.holding(ops.host().local, StoreLock.RECONCILE, "reconcile",
                () -> new Reconciler(ops.host(), ops.endpoints(), ops.names()).run(repair)));
    }
}
