package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.LinkInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Connecting and disconnecting containers, and publishing their ports, each all or nothing. */
final class EndpointOps {
    private final Host host;
    private final NetworkOps networks;
    private final NameOps names;

    EndpointOps(Host host, NetworkOps networks, NameOps names) {
        this.host = host;
        this.networks = networks;
        this.names = names;
    }

    EndpointConfig connect(EndpointRequest b) {
        boolean toDefault = NetworkOps.DEFAULT_NETWORK.equals(b.network());
        if (b.ip() != null && toDefault) {
            throw new InvalidConfigException("user specified IP address is supported only when connecting to networks with user configured subnets");
        }
        NetworkConfig n = toDefault ? networks.defaultNetwork() : host.requireNetwork(b.network());
        State state = host.stateOf(n);
        Driver driver = host.driver(n.driver());
        String container = b.name();
        if (b.ip() != null && !n.userSubnet()) {
            throw new InvalidConfigException("user specified IP address is supported only when connecting to networks with user configured subnets");
        }
        if (!b.ports().isEmpty() && (n.driver() != DriverKind.BRIDGE || !host.firewall.enabled())) {
            throw new InvalidConfigException("ports can be published only on bridge networks with the firewall enabled");
        }
        String what = "connect " + container + " to " + n.name();
        return StoreLock.container(host.local, container, what, () -> {
            // read under the container's lock: its endpoints, free names and default route stay as read
            List<EndpointConfig> own = host.endpointsOf(container);
            if (own.stream().anyMatch(e -> e.network().equals(n.name()))) {
                throw new InvalidConfigException("endpoint with name " + container + " already exists in network " + n.name());
            }
            AddressLeases leases = state.pool(n.name());
            if (b.ip() != null) {
                AddressPlanner.checkStatic(n.name(), n.subnet(), n.gateway(), b.ip());
                Optional<String> holder = leases.ownerOf(b.ip());
                if (holder.isPresent()) {
                    throw new InvalidConfigException("Address already in use: " + IpAddresses.format(b.ip()) + " on network " + n.name()
                            + " (by " + holder.get() + ")");
                }
            }
            Namespace ns = b.container();
            EndpointConfig e = connectAs(b, n, state, driver, leases, own, Placement.read(host.host.in(ns), own, n), what);
            host.liveNamespaces.put(container, ns);
            return e;
        });
    }

    /**
     * Where an endpoint goes in its container, read from the container's links and routes and its
     * endpoints' records: its interface (the first free ethN), whether lo must come up, whether it
     * takes the default route (the first non-internal network of a container without one).
     */
    private record Placement(String ifName, boolean loDown, boolean defaultRoute) {
        static Placement read(Netlib inside, List<EndpointConfig> own, NetworkConfig n) {
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
            boolean loDown = links.stream().anyMatch(l -> l.name().equals("lo") && !l.adminUp());
            boolean defaultRoute = !n.internal() && own.stream().noneMatch(EndpointConfig::defaultRoute)
                    && inside.routes().defaults().stream().noneMatch(r -> r.destination().isIpv4());
            return new Placement(ifName, loDown, defaultRoute);
        }
    }

    /** One try of {@link #connect}, all or nothing, at {@code place}. */
    private EndpointConfig connectAs(EndpointRequest b, NetworkConfig n, State state, Driver driver, AddressLeases leases,
            List<EndpointConfig> own, Placement place, String what) {
        String container = b.name();
        Namespace ns = b.container();
        String netnsName = ns.name().map(Paths::checkNetnsName).orElse(null);
        String id = Names.randomId();
        String hostIf = driver.hostInterfaceName(id);
        String eth = place.ifName();
        return host.runner.run(state, OperationRunner.Plan.creating(what, State.endpointKey(n.name(), container),
                driver.endpointLinks(id, netnsName, eth)), step -> {
            Journal j = step.journal();
            names.filesFollowRecordsOnUndo(j, List.of(n), container, netnsName); // first: its undo runs last
            // the address lease: its own key, created only if absent (racing processes never share an address)
            InetAddress ip = leases.allocate(j, n, b.ip(), container, step.owner());
            state.requireNotRemoved(n); // a removal that read the leases before this one: it cannot see this connect
            EndpointConfig ep = new EndpointConfig(n.name(), container, id, netnsName, eth, hostIf, IpPrefix.of(ip, n.subnet().length()),
                    b.mac() != null ? b.mac() : MacAddress.fromIpv4(ip), b.ip() != null, b.aliases(), b.ports(), place.defaultRoute());
            driver.attach(host, n, ep, ns, place.loDown(), j);
            host.firewall.add(j, ep.publishRules());
            state.create(j, State.endpointKey(n.name(), container), ep.encode(),
                    "endpoint with name " + container + " was just created in network " + n.name() + " by another process");
            state.putIndex(j, ep);
            List<EndpointConfig> after = new ArrayList<>(own);
            after.add(ep);
            after.sort(State.BY_INTERFACE);
            names.changed(j, n, ep, true, after);
            return ep;
        });
    }

    void disconnect(String network, String container) {
        NetworkConfig n = host.requireNetwork(network);
        State state = host.stateOf(n);
        // again from the new record if the same endpoint changed meanwhile (its ports: a publish
        // or an unpublish takes no container lock); another endpoint now is not this call's
        StoreLock.container(host.local, container, "disconnect " + container + " from " + network,
                () -> onLatestRecord(() -> state.endpointSeen(network, container), () -> notConnected(network, container),
                        (was, now) -> now.id().equals(was.id()), e -> {
                            // the network as it is now, read after its endpoint: while this waited
                            // for the container's lock, the network read above may have been
                            // removed and another of the same name created, which e is on (then
                            // its hosts file line was dropped from the old network's file, and
                            // stayed in the new one's); an endpoint's network cannot be removed
                            disconnect(networkOf(e, state), state, e);
                            return null;
                        }));
        if (host.endpointsOf(container).isEmpty()) {
            host.liveNamespaces.remove(container);
        }
    }

    /** The network of endpoint {@code e}, read now, in {@code state}'s store (else the network changed scope meanwhile: a refusal). */
    private NetworkConfig networkOf(EndpointConfig e, State state) {
        NetworkConfig n = host.requireNetwork(e.network());
        if (host.stateOf(n) != state) {
            throw new ConcurrentChangeException("network " + e.network() + " was removed and created again by another process meanwhile; retry");
        }
        return n;
    }

    /** One try of {@link #disconnect(String, String)}: the endpoint {@code e}, all or nothing. */
    private void disconnect(NetworkConfig n, State state, EndpointConfig e) {
        String network = n.name();
        String container = e.container();
        Driver driver = host.driver(n.driver());
        Namespace ns = host.namespaceOf(e);
        try {
            host.runner.run(state, OperationRunner.Plan.removing("disconnect " + container + " from " + network,
                    List.of(State.endpointKey(network, container)), driver.endpointLinks(e.id(), e.netnsName(), e.ifName())), step -> {
                Journal j = step.journal();
                names.filesFollowRecordsOnUndo(j, List.of(n), container, e.netnsName()); // first: its undo runs last
                if (!claimRemoval(j, state, e)) {
                    throw new NetworkNotFoundException("container " + container + " was disconnected from network " + network
                            + " by another process meanwhile");
                }
                names.changed(j, n, e, false, host.endpointsOf(container));
                if (e.defaultRoute() && ns != null) {
                    handOverDefaultRoute(j, n, e, ns);
                }
                release(j, state, e); // after every step that another writer can make fail: see #release
                driver.detach(host, n, e, ns); // the one step that cannot be undone comes last
                return null;
            });
        } finally {
            host.closeIfOpened(container, ns);
        }
    }

    /** Journaled: {@link #claimRemoval}, then {@link #release}; false (nothing changed) if the endpoint was removed already. */
    boolean forget(Journal j, State state, EndpointConfig e) {
        if (!claimRemoval(j, state, e)) {
            return false;
        }
        release(j, state, e);
        return true;
    }

    /**
     * Journaled: the endpoint's record (the commit) and its index entry. The record's deletion is
     * the removal's claim: of two removals of one endpoint at once (a disconnect beside a container's
     * deletion, or beside reconcile) only the one that deletes the record goes on. The other
     * returns false having changed nothing; had it gone on, it would have taken part of the first
     * one's work (its lease) and, failing on the rest, put the record back in its rollback, for an
     * endpoint whose interface is gone.
     */
    boolean claimRemoval(Journal j, State state, EndpointConfig e) {
        if (!state.deleteEndpoint(j, e)) {
            return false;
        }
        state.deleteIndex(j, e);
        return true;
    }

    /**
     * Journaled: gives back what the endpoint holds that other processes can take, its published
     * host ports and its address. A removal does this after every step another writer can make
     * fail (hosts files, the default route's new carrier): once given back, a port may be published
     * by another endpoint at once, and a rollback could then not take it back (a disconnect whose
     * route hand-over failed was left with its record and without its port rules so).
     */
    void release(Journal j, State state, EndpointConfig e) {
        host.firewall.remove(j, e.publishRules());
        state.pool(e.network()).release(j, e.address().address(), e.container());
    }

    /** The default route moves to the gateway of the container's next non-internal network. */
    private void handOverDefaultRoute(Journal j, NetworkConfig n, EndpointConfig e, Namespace ns) {
        for (EndpointConfig other : host.endpointsOf(e.container())) {
            NetworkConfig on = host.network(other.network()).orElse(null);
            if (on == null || on.internal() || other.network().equals(n.name())) {
                continue;
            }
            // the record first: it can fail on another writer, the kernel's route cannot
            carryDefaultRoute(j, host.stateOf(on), other);
            Netlib inside = host.host.in(ns);
            String gw = IpAddresses.format(on.gateway());
            inside.routes().to("default").via(gw).replace();
            j.undo("ip route replace default via " + IpAddresses.format(n.gateway()),
                    () -> inside.routes().to("default").via(IpAddresses.format(n.gateway())).replace());
            return;
        }
    }

    /**
     * Marks the record of {@code other} as the container's default route's carrier. Its ports may
     * change meanwhile (a publish or an unpublish, which take no container lock): the mark is then
     * written over the new record, read again, as long as it is the same endpoint.
     */
    private void carryDefaultRoute(Journal j, State state, EndpointConfig other) {
        onLatestRecord(() -> state.endpointSeen(other.network(), other.container()).filter(now -> now.config().id().equals(other.id())),
                () -> new ConcurrentChangeException("endpoint " + other.container() + " on " + other.network() + " was removed meanwhile; retry"),
                (was, now) -> true, seen -> {
                    state.replaceEndpoint(j, seen, seen.withDefaultRoute(true));
                    return null;
                });
    }

    EndpointConfig publish(String network, String container, PortMapping port) {
        NetworkConfig n = host.requireNetwork(network);
        if (n.driver() != DriverKind.BRIDGE || !host.firewall.enabled()) {
            throw new InvalidConfigException("ports can be published only on bridge networks with the firewall enabled");
        }
        State state = host.stateOf(n);
        return changePorts(state, network, container, e -> {
            List<PortMapping> ports = new ArrayList<>(e.ports());
            ports.add(port);
            return new PortsChange("publish " + port + " of " + container, ports, false,
                    j -> host.firewall.add(j, List.of(port.rule(e.address().address()))));
        });
    }

    EndpointConfig unpublish(String network, String container, PortMapping port) {
        NetworkConfig n = host.requireNetwork(network);
        State state = host.stateOf(n);
        return changePorts(state, network, container, e -> {
            if (!e.ports().contains(port)) {
                throw new InvalidConfigException("port " + port + " is not published by " + container + " on " + network
                        + "; published: " + e.portSpecs());
            }
            List<PortMapping> ports = new ArrayList<>(e.ports());
            ports.remove(port);
            return new PortsChange("unpublish " + port + " of " + container, ports, true,
                    j -> host.firewall.remove(j, List.of(port.rule(e.address().address()))));
        });
    }

    /**
     * Waits before try {@code attempt + 1}: not after the first refusal, then a random while of up
     * to 2^attempt * 50 us (at most 3.2 ms), so that writers of one record fall out of step instead
     * of undoing each other's firewall changes again and again.
     */
    private static void backOff(int attempt) {
        dev.netlib.lock.Backoff.pause(attempt, 2, 50, 3_200);
    }

    /**
     * A change of an endpoint's published ports: what it is, the ports after it, its firewall step,
     * and whether the record changes before that step. A publish installs its rule first (a port
     * another endpoint holds is refused there, before anything is claimed); an unpublish changes the
     * record first, as its claim: a disconnect that deletes the record meanwhile then finds the rule
     * still installed and removes it, instead of finding it gone, removing nothing, and seeing it put
     * back by the unpublish's rollback after its own commit failed.
     */
    private record PortsChange(String what, List<PortMapping> ports, boolean recordFirst, java.util.function.Consumer<Journal> firewallChange) {}

    /**
     * How often a publish or unpublish starts again when another process changed the endpoint's
     * record meanwhile: each time, that process's change went through, so the endpoint's changes
     * make progress; three JVMs changing one endpoint's ports as fast as they can needed more than 5.
     */
    private static final int PORT_CHANGE_TRIES = 32;

    /**
     * Reads the endpoint, plans the change on it and applies it ({@link #replacePorts}); when
     * another process changed the record between the read and the write (its own publish on the
     * same endpoint), the change, rolled back, starts again from a fresh read. A record that was
     * removed meanwhile (a disconnect) ends it.
     */
    private EndpointConfig changePorts(State state, String network, String container,
            java.util.function.Function<EndpointConfig, PortsChange> plan) {
        return onLatestRecord(() -> state.endpointSeen(network, container), () -> notConnected(network, container), (was, now) -> true,
                e -> replacePorts(state, e, plan.apply(e)));
    }

    /**
     * Runs {@code change} on the endpoint record {@code read} returns (none: {@code gone}), and again
     * on a fresh read, up to {@link #PORT_CHANGE_TRIES} times with {@link #backOff}, while it fails
     * because another process wrote that record meanwhile and {@code again} says the new record is
     * still one to change. Written, by its version: another process's change that failed and put
     * the old value back has written it twice, and the next try, planned on that same value, goes
     * through (judged by the value, one of three JVMs publishing on one endpoint at once gave up in
     * 1 of 6 runs of NetworksAtOnceKernelTest). A failure with the record not written since
     * (another failure) is the caller's at once.
     */
    private static <T> T onLatestRecord(java.util.function.Supplier<Optional<State.SeenEndpoint>> read,
            java.util.function.Supplier<? extends RuntimeException> gone,
            java.util.function.BiPredicate<EndpointConfig, EndpointConfig> again, java.util.function.Function<EndpointConfig, T> change) {
        for (int attempt = 1; ; attempt++) {
            State.SeenEndpoint e = read.get().orElseThrow(gone);
            try {
                return change.apply(e.config());
            } catch (ConcurrentChangeException changedMeanwhile) {
                boolean changed = read.get().filter(now -> now.version() != e.version() && again.test(e.config(), now.config())).isPresent();
                if (!changed || attempt == PORT_CHANGE_TRIES) {
                    throw changedMeanwhile;
                }
                backOff(attempt);
            }
        }
    }

    /**
     * All or nothing: the firewall change and the endpoint's record with the new ports (the
     * commit), in the change's order, if the record is still {@code e}.
     */
    private EndpointConfig replacePorts(State state, EndpointConfig e, PortsChange change) {
        EndpointConfig updated = e.withPorts(change.ports());
        String key = State.endpointKey(e.network(), e.container());
        return host.runner.run(state, OperationRunner.Plan.creating(change.what(), key, List.of()), step -> {
            if (!change.recordFirst()) {
                change.firewallChange().accept(step.journal());
            }
            // only over the record the change was planned on: written over another process's
            // change of it (a port of its own published meanwhile), that port would be lost
            state.replaceEndpoint(step.journal(), e, updated);
            if (change.recordFirst()) {
                change.firewallChange().accept(step.journal());
            }
            return updated;
        });
    }

    static NetworkNotFoundException notConnected(String network, String container) {
        return new NetworkNotFoundException("container " + container + " is not connected to network " + network);
    }
}
