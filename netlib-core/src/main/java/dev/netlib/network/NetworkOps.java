package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.ipam.Versioned;
import dev.netlib.model.AddressInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating, removing and inspecting networks, each all or nothing through the {@link OperationRunner}. */
final class NetworkOps {
    /** The pre-defined network's name, as in Docker. */
    static final String DEFAULT_NETWORK = "bridge";

    private final Host host;

    NetworkOps(Host host) {
        this.host = host;
    }

    NetworkConfig create(NetworkRequest b) {
        Driver driver = host.driver(b.driver());
        State state = host.state(driver.scope());
        if (b.driver() == DriverKind.MACVLAN && b.device() == null) {
            throw new InvalidConfigException("macvlan network " + b.name() + " needs a parent link: call parent(\"eth0\")");
        }
        if (b.subnet() != null && b.gateway() != null && !b.subnet().contains(b.gateway())) {
            throw new InvalidConfigException("gateway " + IpAddresses.format(b.gateway()) + " is outside the subnet " + b.subnet());
        }
        if (host.network(b.name()).isPresent()) {
            throw new InvalidConfigException("network with name " + b.name() + " already exists");
        }
        if (b.subnet() != null) {
            for (NetworkConfig n : host.networks()) {
                if (n.subnet().overlaps(b.subnet())) {
                    throw new InvalidConfigException("subnet " + b.subnet() + " overlaps with network " + n.name() + "'s subnet " + n.subnet()
                            + " (Docker: Pool overlaps with other one on this address space)");
                }
            }
        }
        String id = Names.randomId();
        String device = b.device() != null ? b.device() : b.defaultNetwork() ? host.defaultBridgeName : "br-" + id.substring(0, 12);
        NetworkConfig provisional = config(b, id, device, b.subnet() != null ? b.subnet() : host.defaultSubnet);
        driver.validate(host, provisional); // before the note: its links are then surely not someone else's
        return host.runner.run(state, OperationRunner.Plan.creating("create network " + b.name(), State.networkKey(b.name()),
                driver.networkLinks(provisional)), step -> {
            Journal j = step.journal();
            IpPrefix subnet = leaseSubnet(j, state, b, step.owner());
            NetworkConfig n = config(b, id, device, subnet);
            if (!subnet.contains(n.gateway())) {
                throw new InvalidConfigException("gateway " + IpAddresses.format(n.gateway()) + " is outside the subnet " + subnet);
            }
            driver.create(host, n, j);
            state.create(j, State.networkKey(n.name()), n.encode(), "network with name " + n.name() + " was just created by another process");
            driver.created(host, n, j);
            return n;
        });
    }

    /** The subnet lease (compare-and-swap: racing processes never share a subnet); undo: release exactly it. */
    private IpPrefix leaseSubnet(Journal j, State state, NetworkRequest b, Owner op) {
        String owner = State.subnetOwner(b.name(), op);
        IpPrefix subnet;
        if (b.subnet() != null || b.defaultNetwork()) {
            subnet = state.subnets().reserve(b.subnet() != null ? b.subnet() : host.defaultSubnet, owner);
        } else {
            List<IpPrefix> avoid = new ArrayList<>();
            avoid.add(host.defaultSubnet); // kept for the default network even before it exists, as docker0 always is
            for (AddressInfo a : host.host.addresses().list()) {
                if (a.address().isIpv4() && !"lo".equals(a.device())) {
                    avoid.add(a.address().network());
                }
            }
            subnet = state.subnets().allocate(owner, avoid);
        }
        j.undo("release subnet " + subnet, () -> releaseSubnet(state, subnet, owner));
        return subnet;
    }

    private static void releaseSubnet(State state, IpPrefix subnet, String owner) {
        if (owner.equals(state.subnets().subnets().get(subnet))) {
            state.subnets().release(subnet);
        }
    }

    private static NetworkConfig config(NetworkRequest b, String id, String device, IpPrefix subnet) {
        InetAddress gateway = b.gateway() != null ? b.gateway() : subnet.firstUsable();
        return new NetworkConfig(b.name(), id, b.driver(), subnet, gateway, b.subnet() != null, device, b.mtu(), b.icc(),
                b.masquerade() && b.driver() == DriverKind.BRIDGE, b.internal(), b.defaultNetwork());
    }

    /** How long a first use of the default network waits for another process that is creating it. */
    private static final long DEFAULT_NETWORK_WAIT_NANOS = 10_000_000_000L;

    /**
     * The default network, created on first use. Several processes may use it first at the same
     * moment: all but one find its bridge or its subnet lease taken before its record exists (they
     * failed so, 11 of 60 first connects in 30 rounds of two). Such a process waits for the
     * creator's record, as long as the creator's note says it is alive and at work, and tries to
     * create it again if the creator gave up (up to three times when no creator is seen: a docker0
     * that is not netlib's fails at once).
     */
    NetworkConfig defaultNetwork() {
        long deadline = System.nanoTime() + DEFAULT_NETWORK_WAIT_NANOS;
        int givenUp = 0;
        for (int attempt = 1; ; attempt++) {
            Optional<NetworkConfig> n = host.network(DEFAULT_NETWORK);
            if (n.isPresent()) {
                return n.get();
            }
            try {
                return create(new NetworkRequest(DEFAULT_NETWORK, DriverKind.BRIDGE, null, null, null, null, true, true, false, true));
            } catch (ConcurrentChangeException | InvalidConfigException e) {
                Optional<NetworkConfig> theirs = host.network(DEFAULT_NETWORK);
                if (theirs.isPresent()) {
                    return theirs.get(); // another process created it meanwhile: use theirs
                }
                boolean underWay = host.local.liveNotes().stream()
                        .anyMatch(p -> p.creating() && p.commitKey().equals(State.networkKey(DEFAULT_NETWORK)));
                // its bridge or subnet taken (InvalidConfigException) with no creator at work: one
                // that gave up meanwhile; any other failure with no creator at work is the caller's
                boolean takenByOneThatGaveUp = e instanceof InvalidConfigException && ++givenUp <= 2;
                if (System.nanoTime() > deadline || (!underWay && !takenByOneThatGaveUp)) {
                    // no other netlib process is creating it (e.g. a docker0 of Docker's): the caller's to see
                    throw e;
                }
                if (underWay) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(20, attempt) * 1_000_000L);
                } // else: a creator that gave up meanwhile (rolled back): try again at once
            }
        }
    }

    NetworkInspection inspect(String name) {
        NetworkConfig n = host.requireNetwork(name);
        Map<String, String> options = new java.util.LinkedHashMap<>(host.driver(n.driver()).options(n));
        if (n.mtu() != null) {
            options.put("com.docker.network.driver.mtu", n.mtu().toString());
        }
        return new NetworkInspection(n, options, host.stateOf(n).endpoints(name));
    }

    void remove(String name) {
        NetworkConfig n = host.requireNetwork(name);
        State state = host.stateOf(n);
        Driver driver = host.driver(n.driver());
        OperationRunner.Plan plan = OperationRunner.Plan.removing("remove network " + name, List.of(State.networkKey(name)), driver.networkLinks(n))
                .noteAt(State.removalNoteKey(n)); // stored before the leases are read: see State#requireNotRemoved
        host.runner.run(state, plan, step -> {
            Journal j = step.journal();
            // The leases first, then the endpoints: a connect's lease names its operation, which is
            // over once the connect has stored its endpoint. Read in the other order, a connect that
            // ended between the two reads was in neither: no endpoint yet, then a lease of a finished
            // operation (as a dead process leaves), and the removal went on beside it. In this order
            // a lease of a finished connect comes with its endpoint, read after it; a connect whose
            // lease came after this read sees this removal's note (State#requireNotRemoved).
            // Read once: the leases checked for a live owner are exactly the ones deleted below.
            Map<String, Versioned> leaseRecords = state.pool(name).records();
            for (Map.Entry<String, Versioned> l : leaseRecords.entrySet()) {
                Lease lease = Lease.decode(l.getKey(), l.getValue().value());
                if (Liveness.alive(lease.owner(), state)) {
                    throw new NetworkInUseException("error while removing network: network " + name + " id " + n.id()
                            + " has a connect of " + lease.container() + " in progress (" + lease.owner() + ")", List.of(lease.container()));
                }
            }
            List<EndpointConfig> eps = state.endpoints(name);
            if (!eps.isEmpty()) {
                List<String> names = eps.stream().map(EndpointConfig::container).toList();
                throw new NetworkInUseException("error while removing network: network " + name + " id " + n.id()
                        + " has active endpoints (" + String.join(", ", names) + ")", names);
            }
            // then the notes: a disconnect that deleted its endpoint before the read above, and is
            // still under way, may yet fail and put its endpoint back (its lease, whose connect has
            // ended, was no sign of it)
            String endpointsOfIt = State.ENDPOINTS + name + "/";
            for (Pending p : state.liveNotes()) {
                for (String k : p.removes()) {
                    if (k.startsWith(endpointsOfIt)) {
                        String c = k.substring(endpointsOfIt.length());
                        throw new NetworkInUseException("error while removing network: network " + name + " id " + n.id()
                                + " has a disconnect of " + c + " in progress (" + p.owner() + ")", List.of(c));
                    }
                }
            }
            state.deleteNetwork(j, n); // the point of no return for reconcile
            for (String key : leaseRecords.keySet()) {
                state.delete(j, key); // leases a dead process left behind
            }
            // only a hint for the next address: a network of the same name created since this
            // record went may have written its own already, and keeps it
            state.dropHint(j, name);
            driver.removeUndoable(host, n, j); // the rules
            // the subnet after every step that can fail and be undone: once released, another
            // network may take it at once, and an undo could not reserve it back. Released only as
            // this network's (reconcile may have released it, and another network taken it, since
            // the read): what someone else holds is theirs
            String owner = state.subnets().subnets().get(n.subnet());
            if (owner != null && name.equals(State.subnetNetwork(owner)) && state.subnets().release(n.subnet(), owner)) {
                j.undo("reserve subnet " + n.subnet(), () -> state.subnets().reserve(n.subnet(), owner));
            }
            driver.remove(host, n, j); // the bridge: the one step that cannot be undone comes last
            return null;
        });
    }
}
