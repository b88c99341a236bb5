package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.KeyValue;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.AddressInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay on one host: registers the host in the cluster store under a lease and keeps the lease
 * alive, announces this host's endpoints, watches everybody else's, and programs the kernel of the
 * host's namespace to match (see {@link OverlayKernel}). No daemon: its threads live in the caller's
 * JVM, started by {@link Builder#open()} and stopped by {@link #close()}.
 *
 * <p>Threads: a scheduler (lease keep-alive every TTL/3, anti-entropy, relists) and one kernel thread
 * through which every kernel write of the overlay goes, one at a time, so two changes of a network can
 * never interleave. Watched changes mark the networks they touch; the kernel thread then compares each
 * marked network's devices and neighbour/FDB tables with the store and writes the difference.
 *
 * <p>Store: a snapshot, then a watch from the revision after it; a compacted or closed watch is
 * followed by a new snapshot, compared by key and value, and a new watch. So is a stalled one: the
 * agent asks the store for a progress answer every {@code watchProgress} (default 2 s), and a watch
 * that has delivered neither an event nor an answer for three of those is cancelled (a stream can
 * stay open and deliver nothing, e.g. behind a proxy or a half-dead connection). Anti-entropy
 * compares every network with the kernel every {@code antiEntropy} (default 30 s), repairing what
 * drifted.
 *
 * <p>Leaving: {@link #close()} revokes the lease, so the others withdraw this host's endpoints at once;
 * a host that dies has its keys expire after the lease TTL (default 10 s), and the others withdraw
 * them then.
 *
 * <p>Inside, one class per job: {@link LeaseKeeper} (the lease), {@link Registration} (this host's
 * keys), {@link StoreWatcher} (snapshot, watch, relist, stall detection), {@link KernelThread} (the
 * dirty networks and the thread), {@link NetworkReconciler} (one network against the kernel), {@link
 * FollowUps} (reconciles an advert schedules for later), {@link HostsNames} (the hosts files). This
 * class wires them and holds the public API; they report up only through the callbacks it hands down.
 */
public final class OverlayAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayAgent.class);

    private final Netlib host;
    private final ClusterStore store;
    private final HostId me;
    private final InetAddress vtep;
    private final String bootId = UUID.randomUUID().toString();
    private final Keys keys;
    private final Catalog catalog;
    private final OverlayKernel kernel;
    private final ClusterView view;
    private final AddressReaper reaper;
    private final Duration addressGrace;
    private final int underlayMtu;
    private final ScheduledExecutorService scheduler;
    private final LocalEndpoints local = new LocalEndpoints();
    private final Registration registration;
    private final LeaseKeeper lease;
    private final HostsNames names;
    private final NetworkReconciler reconciler;
    private final KernelThread kernelThread;
    private final StoreWatcher watcher;
    private final FollowUps followUps;
    private final Duration watchProgress;
    private volatile boolean closed;

    private OverlayAgent(Builder b, String underlay) {
        this.host = b.host;
        this.store = b.store;
        this.me = b.id;
        this.vtep = b.vtep;
        this.keys = new Keys(b.prefix);
        this.catalog = new Catalog(store, keys, b.vniMin, b.vniMax);
        Path records = b.recordDir == null ? null : b.recordDir.resolve(me.value());
        this.kernel = new OverlayKernel(host, vtep, underlay, b.port, new WrittenRecords(records, host.ref().inode()));
        this.view = new ClusterView(keys);
        this.addressGrace = b.addressGrace;
        this.watchProgress = b.watchProgress;
        this.reaper = new AddressReaper(store, keys, catalog, view, me, b.addressGrace);
        this.underlayMtu = kernel.underlayMtu();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "netlib-overlay-" + me + "-scheduler"));
        var kernelExecutor = Executors.newSingleThreadExecutor(r -> thread(r, "netlib-overlay-" + me + "-kernel"));
        this.registration = new Registration(store, keys, catalog, new HostRecord(me, vtep, underlayMtu, bootId));
        this.lease = new LeaseKeeper(store, b.ttl, me, l -> registration.ops(l, local.all()));
        this.names = new HostsNames(b.hostsRoot, view, local, scheduler, kernelExecutor, me);
        this.reconciler = new NetworkReconciler(kernel, view, local, names, me, underlayMtu);
        this.kernelThread = new KernelThread(kernelExecutor, me, reconciler::reconcile);
        this.watcher = new StoreWatcher(store, keys.prefix, view, scheduler, watchProgress, me, kernelThread::mark, this::localOrProgrammed);
        FollowUps.Timer timer = b.followUpTimer != null ? b.followUpTimer : FollowUps.Timer.of(scheduler);
        this.followUps = new FollowUps(timer, kernelThread::mark);
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Settings for the agent of the host whose namespace {@code host} is bound to. */
    public static Builder builder(Netlib host, ClusterStore store, HostId id, InetAddress vtep) {
        return new Builder(host, store, id, vtep);
    }

    // ---- start and stop ---------------------------------------------------------------------

    private void start(Duration antiEntropy) {
        lease.register();
        registration.collectStale(store.range(keys.prefix));
        watcher.relist();
        kernelThread.call(() -> {
            reconciler.collectStaleDevices();
            return null;
        });
        reaper.collectOwn();
        long reapMs = Math.max(200, Math.min(60_000, addressGrace.toMillis() / 2));
        scheduler.scheduleWithFixedDelay(this::reap, reapMs, reapMs, TimeUnit.MILLISECONDS);
        long keepAliveMs = lease.keepAliveMillis();
        scheduler.scheduleWithFixedDelay(lease::keepAlive, keepAliveMs, keepAliveMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> kernelThread.mark(allNetworkIds()), antiEntropy.toMillis(), antiEntropy.toMillis(), TimeUnit.MILLISECONDS);
        long progressMs = watchProgress.toMillis();
        scheduler.scheduleWithFixedDelay(watcher::checkWatch, progressMs, progressMs, TimeUnit.MILLISECONDS);
        LOG.info("overlay agent {} up: vtep {}, lease {} ({} s), boot {}", me, IpAddresses.format(vtep), Long.toHexString(lease.lease()),
                lease.ttlSeconds(), bootId);
    }

    private void reap() {
        try {
            reaper.sweep();
        } catch (RuntimeException e) {
            LOG.warn("overlay agent {}: address reaper pass failed ({}); next pass retries", me, e.toString());
        }
    }

    /** The networks the kernel may hold devices of: those with local endpoints, and those programmed. */
    private Set<String> localOrProgrammed() {
        Set<String> ids = new HashSet<>(local.networkIds());
        ids.addAll(reconciler.programmedIds());
        return ids;
    }

    private Set<String> allNetworkIds() {
        Set<String> ids = localOrProgrammed();
        ids.addAll(view.networkIds());
        return ids;
    }

    /**
     * Stops the agent: revokes the lease, so every other host withdraws this host's endpoints at once,
     * then stops the threads. The kernel objects stay (the containers are still there); a later agent
     * of the same host takes them over or collects them.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        kernelThread.close();
        watcher.close();
        scheduler.shutdownNow();
        lease.revoke();
        kernelThread.shutdown();
    }

    /**
     * Stops the threads without revoking the lease, as a host that loses its store connection or dies
     * would: the others withdraw its endpoints only when the lease expires. Package-private: the
     * tests (in this package, also those of netlib-etcd) use it to stand for a crash; a program that
     * stops uses {@link #close()}.
     */
    void abandon() {
        closed = true;
        kernelThread.close();
        watcher.close();
        scheduler.shutdownNow();
        kernelThread.shutdownNow();
    }

    // ---- the store --------------------------------------------------------------------------

    /**
     * Creates an overlay network, visible to every host at once; its MTU is the smallest underlay MTU
     * of the registered hosts minus 50. Equivalent to: {@code docker network create -d overlay --subnet SUBNET NAME}.
     */
    public OverlayNetwork createNetwork(String name, String subnet) {
        return createNetwork(name, IpPrefix.parse(subnet), null);
    }

    /** Creates an overlay network with a given gateway address (null: the subnet's first address). */
    public OverlayNetwork createNetwork(String name, IpPrefix subnet, InetAddress gateway) {
        int minMtu = underlayMtu;
        for (KeyValue kv : store.range(keys.hosts()).kvs()) {
            try {
                minMtu = Math.min(minMtu, HostRecord.decode(kv.key(), kv.key().substring(keys.hosts().length()), kv.value()).underlayMtu());
            } catch (RuntimeException unreadable) {
                LOG.warn("ignoring unreadable host record {}", kv.key());
            }
        }
        return catalog.create(name, subnet, gateway, minMtu - OverlayKernel.VXLAN_OVERHEAD_V4);
    }

    /** The overlay network named {@code name}, read from the store. */
    public Optional<OverlayNetwork> network(String name) {
        return catalog.find(name);
    }

    /** Every overlay network in the store. */
    public List<OverlayNetwork> networks() {
        return catalog.list();
    }

    /** Removes an overlay network that has no endpoint on any host. Equivalent to: {@code docker network rm NAME}. */
    public void deleteNetwork(String name) {
        catalog.delete(name);
    }

    /** Allocates an address of the network for {@code owner} (the store's pool; never leased). */
    public InetAddress allocate(OverlayNetwork n, String owner) {
        try {
            return catalog.pool(n).allocate(owner);
        } catch (RuntimeException e) {
            catalog.forgetPool(n);
            throw e;
        }
    }

    /** Allocates a given address of the network for {@code owner}. */
    public InetAddress allocate(OverlayNetwork n, InetAddress address, String owner) {
        return catalog.pool(n).allocate(address, owner);
    }

    /** Returns an address to the network's pool. */
    public void release(OverlayNetwork n, InetAddress address) {
        catalog.pool(n).release(address);
    }

    // ---- local endpoints --------------------------------------------------------------------

    /**
     * Gets the network's bridge and VXLAN device ready for a local endpoint that is about to join (and
     * programs the peers already known), on the kernel thread. Each call must be followed by {@link
     * #advertise} or {@link #abort}.
     *
     * @return the bridge the endpoint's host-side interface goes into
     */
    public String prepare(OverlayNetwork n) {
        requireOpen();
        local.beginJoin(n.id());
        try {
            kernelThread.call(() -> {
                reconciler.reconcile(n.id(), n);
                return null;
            });
        } catch (RuntimeException e) {
            abort(n);
            throw e;
        }
        return n.bridgeName();
    }

    /** Ends a {@link #prepare} that will not be followed by an advert; the devices go if nothing else uses them. */
    public void abort(OverlayNetwork n) {
        local.endJoin(n.id());
        kernelThread.mark(Set.of(n.id()));
    }

    /** Reconciles the network's kernel objects with the store now and waits for it (e.g. after a local endpoint's interface went). */
    public void refresh(OverlayNetwork n) {
        kernelThread.mark(Set.of(n.id()));
        sync();
    }

    /** The MTU of the network's interfaces on this host. */
    public int mtu(OverlayNetwork n) {
        return reconciler.mtu(n);
    }

    /**
     * Announces a local endpoint to every host (bound to this host's lease), together with its name
     * if it has one: one transaction that holds only if the network is unchanged (not being removed)
     * and the name is free on the network.
     *
     * @throws OverlayException if the network is gone or being removed, or the name is taken
     */
    public void advertise(OverlayEndpoint e) {
        requireOpen();
        OverlayNetwork n = e.network();
        try {
            registration.announce(e, lease::lease);
            local.add(e);
            kernelThread.mark(Set.of(n.id()));
            followUps.schedule(n.id());
        } finally {
            local.endJoin(n.id());
            kernelThread.mark(Set.of(n.id()));
        }
    }

    /**
     * Withdraws a local endpoint from every host at once; when it was the network's last local
     * endpoint, the kernel thread then removes the network's devices (once nothing else is attached).
     */
    public void withdraw(OverlayNetwork n, String endpointId) {
        OverlayEndpoint e = local.remove(n.id(), endpointId);
        registration.withdraw(n.id(), endpointId, e == null ? null : e.name());
        if (e != null && e.container() != null) {
            names.clear(e.container());
        }
        kernelThread.mark(Set.of(n.id()));
    }

    /** The host an endpoint of the network lives on (durable: also while that host is down), if known. */
    public Optional<HostId> ownerOf(OverlayNetwork n, String endpointId) {
        return store.get(keys.owner(n.id(), endpointId)).map(kv -> HostId.of(kv.value()));
    }

    /** This host's endpoints on the network, as announced. */
    public List<OverlayEndpoint> localEndpoints(OverlayNetwork n) {
        return local.of(n.id());
    }

    /** Every endpoint of the network on a live host, this one included, as the watch saw them. */
    public List<EndpointAdvert> endpoints(OverlayNetwork n) {
        return view.adverts(n.id());
    }

    /**
     * Connects a container to an overlay network as one all-or-nothing step: an address from the
     * network's pool, the network's devices on this host, a veth pair (host side in the network's
     * bridge, {@code ifName} with the address and the MAC derived from it in the container), then the
     * advert. A failure undoes what was done. No default route is set: the network has no gateway host.
     *
     * <p>Equivalent to: {@code ip link add nlo-ID mtu MTU master nlb-V up type veth peer name IFNAME
     * netns CONTAINER address MAC mtu MTU; ip -n CONTAINER addr add IP/LEN dev IFNAME; ip -n CONTAINER
     * link set IFNAME up}, and the store writes.
     *
     * @param name the container's name on the network (resolvable by every endpoint of the network), or null
     */
    public OverlayEndpoint connect(OverlayNetwork n, dev.netlib.Namespace container, String ifName, String name) {
        return connect(n, container, ifName, name, List.of());
    }

    /**
     * {@link #connect(OverlayNetwork, dev.netlib.Namespace, String, String)} with further names the
     * endpoint resolves by on every host of the network. Equivalent to: {@code docker network connect
     * --alias ALIAS NETWORK CONTAINER}, and the same kernel changes.
     */
    public OverlayEndpoint connect(OverlayNetwork n, dev.netlib.Namespace container, String ifName, String name, List<String> aliases) {
        requireOpen();
        String epId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String hostIf = hostInterface(epId);
        InetAddress ip = allocate(n, me + "/" + epId);
        boolean prepared = false;
        boolean vethMade = false;
        try {
            String bridge = prepare(n);
            prepared = true;
            int mtu = mtu(n);
            MacAddress mac = macFor(ip);
            host.veth(hostIf).mtu(mtu).master(bridge).up()
                    .peer(ifName, p -> p.namespace(container).mtu(mtu).mac(mac).up()).create();
            vethMade = true;
            host.in(container).batch().linkUp("lo").addAddress(ifName, IpAddresses.format(ip) + "/" + n.subnet().length()).apply();
            OverlayEndpoint e = new OverlayEndpoint(n, epId, ip, mac, name, container.name().orElse(null), aliases);
            prepared = false; // advertise ends the prepare, whether it succeeds or not
            advertise(e);
            return e;
        } catch (RuntimeException failure) {
            if (vethMade) {
                kernel.deleteLink(hostIf);
            }
            if (prepared) {
                abort(n);
            }
            try {
                release(n, ip);
                refresh(n); // the devices made for this endpoint are gone before the exception leaves
            } catch (RuntimeException undo) {
                failure.addSuppressed(undo);
            }
            throw failure;
        }
    }

    /** Undoes {@link #connect}: withdraws the advert, deletes the veth pair, returns the address. Equivalent to: {@code ip link del nlo-ID}. */
    public void disconnect(OverlayEndpoint e) {
        withdraw(e.network(), e.id());
        kernel.deleteLink(hostInterface(e.id()));
        release(e.network(), e.ip());
        kernelThread.mark(Set.of(e.network().id()));
    }

    /** The host-side interface of an endpoint: {@code nlo} and 8 characters of its id. */
    public static String hostInterface(String endpointId) {
        return "nlo" + endpointId.substring(0, Math.min(8, endpointId.length()));
    }

    /** The MAC an overlay endpoint with IPv4 address {@code ip} gets: 02:42 and the four address bytes (Docker's rule). */
    public static MacAddress macFor(InetAddress ip) {
        return MacAddress.fromIpv4(ip);
    }

    /**
     * The differences between this host's kernel and the store as it is now (a fresh read, not the
     * agent's copy), in words: missing or stray devices, neighbour and FDB entries. Empty when the
     * kernel equals the store. Runs on the kernel thread, after the changes already queued.
     */
    public List<String> diff() {
        ClusterView now = new ClusterView(keys);
        now.reset(store.range(keys.prefix));
        return kernelThread.call(() -> reconciler.diff(now));
    }

    /** Waits until the changes queued so far have reached the kernel. */
    public void sync() {
        kernelThread.sync();
    }

    private void requireOpen() {
        if (closed) {
            throw new OverlayException("overlay agent " + me + " is closed");
        }
    }

    /** How many watches were found stalled and replaced. */
    public long stalledWatches() {
        return watcher.stalls();
    }

    /** How many snapshots the agent has read (1 at start, then one per compaction or lost watch). */
    public long relists() {
        return watcher.relists();
    }

    /** This host's id. */
    public HostId hostId() {
        return me;
    }

    /** This run's boot id (fresh per open). */
    public String bootId() {
        return bootId;
    }

    /** The VTEP address. */
    public InetAddress vtep() {
        return vtep;
    }

    /** The cluster store. */
    public ClusterStore store() {
        return store;
    }

    /** The prefix of the agent's keys in the store (e.g. {@code netlib/v1/}). */
    public String keyPrefix() {
        return keys.prefix;
    }

    /** The current lease id. */
    public long lease() {
        return lease.lease();
    }

    // ---- a hook for tests of this package ------------------------------------------------------

    /**
     * Brings the agent to rest, for tests that change the kernel behind its back and want the diff,
     * not a repair, to see the change first (no public call can say "nothing more will reconcile"):
     * waits until the watch has marked every key the store holds now (at the revision it holds it),
     * runs the follow-ups adverts scheduled at once, then waits for the kernel thread. Afterwards
     * only a new store change, a relist or anti-entropy reconciles again. Deletes the store no
     * longer shows are not waited for.
     *
     * @throws OverlayException if the watch does not deliver within 10 s
     */
    void settleForTest() {
        watcher.awaitMarked(store.range(keys.prefix).kvs().stream().mapToLong(KeyValue::modRevision).max().orElse(0), 10_000);
        try {
            // on the scheduler's one thread: a follow-up already running there has finished first
            scheduler.submit(followUps::runNow).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new OverlayException("overlay agent " + me + ": scheduled reconciles did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverlayException("interrupted while running overlay agent " + me + "'s scheduled reconciles", e);
        }
        sync();
    }

    /** Settings of an {@link OverlayAgent}. */
    public static final class Builder {
        private final Netlib host;
        private final ClusterStore store;
        private final HostId id;
        private final InetAddress vtep;
        private String underlay;
        private String prefix = Keys.DEFAULT_PREFIX;
        private Duration ttl = Duration.ofSeconds(10);
        private Duration antiEntropy = Duration.ofSeconds(30);
        private Duration watchProgress = Duration.ofSeconds(2);
        private int vniMin = 0x100000;
        private int vniMax = 0x1FFFFF;
        private int port = 4789;
        private Path hostsRoot = Path.of("/etc/netns");
        private Path recordDir = Path.of("/run/netlib/overlay");
        private Duration addressGrace = Duration.ofMinutes(10);
        private FollowUps.Timer followUpTimer;

        private Builder(Netlib host, ClusterStore store, HostId id, InetAddress vtep) {
            this.host = Objects.requireNonNull(host, "host");
            if (store == null) {
                throw new InvalidConfigException("an overlay needs a cluster store: pass EtcdClusterStore.connect(URL) (netlib-etcd) or MemoryClusterStore.create()");
            }
            this.store = store;
            this.id = Objects.requireNonNull(id, "id");
            this.vtep = Objects.requireNonNull(vtep, "vtep");
        }

        /** The underlay device (default: the device that carries the VTEP address). */
        public Builder underlayDevice(String device) {
            this.underlay = device;
            return this;
        }

        /** The prefix of every key (default {@value Keys#DEFAULT_PREFIX}); must end with '/'. */
        public Builder prefix(String prefix) {
            if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/")) {
                throw new InvalidConfigException("overlay key prefix must be non-empty and end with '/', got " + prefix);
            }
            this.prefix = prefix;
            return this;
        }

        /** The host lease's TTL (default 10 s): a dead host's endpoints are withdrawn after at most this long. */
        public Builder leaseTtl(Duration ttl) {
            if (ttl == null || ttl.toSeconds() < 1) {
                throw new InvalidConfigException("lease TTL must be at least 1 s, got " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** How often every network is compared with the kernel and repaired (default 30 s). */
        public Builder antiEntropy(Duration every) {
            if (every == null || every.toMillis() < 100) {
                throw new InvalidConfigException("anti-entropy interval must be at least 100 ms, got " + every);
            }
            this.antiEntropy = every;
            return this;
        }

        /**
         * How often the watch is asked for a progress answer (default 2 s); a watch that delivers
         * neither an event nor an answer for three of these is taken as stalled and replaced.
         */
        public Builder watchProgress(Duration every) {
            if (every == null || every.toMillis() < 50) {
                throw new InvalidConfigException("watch progress interval must be at least 50 ms, got " + every);
            }
            this.watchProgress = every;
            return this;
        }

        /** The VNIs new networks get (default 1048576..2097151, clear of Docker's 256+ and 4096+). */
        public Builder vniRange(int min, int max) {
            if (min < 1 || max > 0xFFFFFF || min > max) {
                throw new InvalidConfigException("VNI range must be within 1..16777215 with min <= max, got " + min + ".." + max);
            }
            this.vniMin = min;
            this.vniMax = max;
            return this;
        }

        /** The VXLAN UDP port (default 4789, set explicitly: Linux would pick 8472). */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new InvalidConfigException("VXLAN port must be 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * How long a host must have been gone (no registration) before its addresses are freed
         * (default 10 minutes; addresses are not leased, so a partition never frees them sooner).
         */
        public Builder addressGrace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new InvalidConfigException("address grace period must be zero or more, got " + grace);
            }
            this.addressGrace = grace;
            return this;
        }

        /** Where containers' hosts files live (default /etc/netns, read by {@code ip netns exec}); null: no names. */
        public Builder hostsRoot(Path root) {
            this.hostsRoot = root;
            return this;
        }

        /**
         * Where the agent keeps, per VXLAN device, the record of the neighbour, FDB and bridge entries it wrote
         * ({@code DIR/HOSTID/nlv-V}; default {@code /run/netlib/overlay}). A restarted agent reads it to
         * tell its own entries from anyone else's: it removes those of peers that left while it was down,
         * and never an entry it cannot prove it wrote. Use a directory the system empties at boot (as it
         * does /run), and one per host id. Null: records in memory only, so a restarted agent leaves every
         * entry of an earlier run alone.
         */
        public Builder recordDir(Path dir) {
            this.recordDir = dir;
            return this;
        }

        /**
         * The timer the follow-up reconciles of an advert wait on (default: the agent's scheduler,
         * 200 ms and 1 s). Package-private: a test that must know whether those reconciles run hands in
         * a timer it moves itself, instead of racing the clock.
         */
        Builder followUpTimer(FollowUps.Timer timer) {
            this.followUpTimer = timer;
            return this;
        }

        /**
         * Registers the host and starts the agent's threads.
         *
         * @throws ClusterStoreException if the store cannot be reached (nothing is left behind)
         */
        public OverlayAgent open() {
            String dev = underlay != null ? underlay : deviceOf(vtep);
            OverlayAgent a = new OverlayAgent(this, dev);
            try {
                a.start(antiEntropy);
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
            return a;
        }

        private String deviceOf(InetAddress address) {
            for (AddressInfo ai : host.addresses().list()) {
                if (ai.address().address().equals(address)) {
                    return ai.device();
                }
            }
            throw new InvalidConfigException("VTEP address " + IpAddresses.format(address) + " is on no device of " + host.namespace()
                    + "; give the host's underlay address, or name the device with underlayDevice(...)");
        }
    }
}
