package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.Compare;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.LeaseNotFoundException;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.Txn;
import dev.netlib.cluster.Watch;
import dev.netlib.cluster.WatchEvent;
import dev.netlib.cluster.WatchListener;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.AddressInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class OverlayAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayAgent.class);

    private final Netlib host;
    private final ClusterStore store;
    private final HostId me;
    private final InetAddress vtep;
    private final String bootId = UUID.randomUUID().toString();
    private final Keys keys;
    private final Duration ttl;
    private final Catalog catalog;
    private final OverlayKernel kernel;
    private final ClusterView view;
    private final Path hostsRoot;
    private final AddressReaper reaper;
    private final java.time.Duration addressGrace;
    private final int underlayMtu;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService kernelThread;
    private final Map<String, Map<String, OverlayEndpoint>> local = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> preparing = new ConcurrentHashMap<>();
    private final Map<String, OverlayNetwork> programmed = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<String> namesPending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicLong relists = new AtomicLong();
    private final AtomicLong watchGeneration = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final Duration watchProgress;
    /** The reconciles {@link #advertise} schedules for later, until they run. */
    private final Set<FollowUp> followUps = ConcurrentHashMap.newKeySet();
    /** Guards {@link #markedRevision}; notified when it moves. */
    private final Object marked = new Object();
    /** The store revision up to which watched changes have marked their networks dirty (guarded by {@link #marked}). */
    private long markedRevision;
    /** When the current watch last showed life (started, an event or a progress answer), by System.nanoTime(). */
    private volatile long lastHeard;
    private volatile long lease;
    private volatile Watch watch;
    private volatile boolean closed;

    private OverlayAgent(Builder b, String underlay) {
        this.host = b.host;
        this.store = b.store;
        this.me = b.id;
        this.vtep = b.vtep;
        this.keys = new Keys(b.prefix);
        this.ttl = b.ttl;
        this.catalog = new Catalog(store, keys, b.vniMin, b.vniMax);
        Path records = b.recordDir == null ? null : b.recordDir.resolve(me.value());
        this.kernel = new OverlayKernel(host, vtep, underlay, b.port, new WrittenRecords(records, host.ref().inode()));
        this.view = new ClusterView(keys);
        this.hostsRoot = b.hostsRoot;
        this.addressGrace = b.addressGrace;
        this.watchProgress = b.watchProgress;
        this.reaper = new AddressReaper(store, keys, catalog, view, me, b.addressGrace);
        this.underlayMtu = kernel.underlayMtu();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "netlib-overlay-" + me + "-scheduler"));
        this.kernelThread = Executors.newSingleThreadExecutor(r -> thread(r, "netlib-overlay-" + me + "-kernel"));
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
        lease = store.grantLease(ttl);
        store.txn(Txn.when().then(Op.put(keys.host(me), hostRecord().encode(), lease)));
        Range snapshot = store.range(keys.prefix);
        collectStaleAdverts(snapshot);
        relist();
        call(this::collectStaleDevices);
        reaper.collectOwn();
        long reapMs = Math.max(200, Math.min(60_000, addressGrace.toMillis() / 2));
        scheduler.scheduleWithFixedDelay(this::reap, reapMs, reapMs, TimeUnit.MILLISECONDS);
        long keepAliveMs = Math.max(200, ttl.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::keepAlive, keepAliveMs, keepAliveMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> markDirty(allNetworkIds()), antiEntropy.toMillis(), antiEntropy.toMillis(), TimeUnit.MILLISECONDS);
        long progressMs = watchProgress.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkWatch, progressMs, progressMs, TimeUnit.MILLISECONDS);
        LOG.info("overlay agent {} up: vtep {}, lease {} ({} s), boot {}", me, IpAddresses.format(vtep), Long.toHexString(lease), ttl.toSeconds(), bootId);
    }

    private void reap() {
        try {
            reaper.sweep();
        } catch (RuntimeException e) {
            LOG.warn("overlay agent {}: address reaper pass failed ({}); next pass retries", me, e.toString());
        }
    }

    private HostRecord hostRecord() {
        return new HostRecord(me, vtep, underlayMtu, bootId);
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
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        scheduler.shutdownNow();
        try {
            store.revokeLease(lease);
        } catch (ClusterStoreException e) {
            LOG.warn("overlay agent {}: could not revoke lease {} ({}); its keys expire within {} s", me, Long.toHexString(lease), e.getMessage(), ttl.toSeconds());
        }
        kernelThread.shutdown();
        try {
            kernelThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the threads without revoking the lease, as a host that loses its store connection or dies
     * would: the others withdraw its endpoints only when the lease expires. For tests.
     */
    public void abandon() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
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
        preparing.computeIfAbsent(n.id(), k -> new AtomicInteger()).incrementAndGet();
        try {
            call(() -> {
                reconcile(n.id(), n);
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
        AtomicInteger c = preparing.get(n.id());
        if (c != null) {
            c.decrementAndGet();
        }
        markDirty(Set.of(n.id()));
    }

    /** Reconciles the network's kernel objects with the store now and waits for it (e.g. after a local endpoint's interface went). */
    public void refresh(OverlayNetwork n) {
        markDirty(Set.of(n.id()));
        sync();
    }

    /** The MTU of the network's interfaces on this host. */
    public int mtu(OverlayNetwork n) {
        return Math.min(n.mtu(), underlayMtu - OverlayKernel.VXLAN_OVERHEAD_V4);
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
            for (int attempt = 0; attempt < 16; attempt++) {
                KeyValue rec = catalog.record(n.id()).orElseThrow(() -> new OverlayException(
                        "overlay network '" + n.name() + "' was removed; cannot connect endpoint " + e.id()));
                if (OverlayNetwork.decode(rec.key(), n.id(), rec.value()).deleting()) {
                    throw new OverlayException("overlay network '" + n.name() + "' is being removed; cannot connect endpoint " + e.id());
                }
                List<Compare> cmps = new ArrayList<>(List.of(Compare.modRevision(rec.key(), rec.modRevision())));
                List<Op> ops = new ArrayList<>(advertOps(e));
                ops.add(Op.put(keys.owner(n.id(), e.id()), me.value())); // durable: whose endpoint it is, even while this host is down
                if (e.name() != null) {
                    cmps.add(Compare.absent(keys.name(n.id(), e.name())));
                }
                if (store.txn(Txn.when(cmps.toArray(Compare[]::new)).then(ops)).succeeded()) {
                    local.computeIfAbsent(n.id(), k -> new ConcurrentHashMap<>()).put(e.id(), e);
                    markDirty(Set.of(n.id()));
                    // the network layer rewrites the container's hosts file right after this (without
                    // the overlay's section): write the section again once that is done
                    for (long delay : new long[] {200, 1000}) {
                        FollowUp u = new FollowUp(n.id());
                        followUps.add(u);
                        u.future = scheduler.schedule(u, delay, TimeUnit.MILLISECONDS);
                    }
                    return;
                }
                if (e.name() != null) {
                    Optional<KeyValue> owner = store.get(keys.name(n.id(), e.name()));
                    if (owner.isPresent()) {
                        String holder = store.get(keys.endpoint(n.id(), owner.get().value()))
                                .map(kv -> " on host " + EndpointAdvert.decode(kv.key(), n.id(), owner.get().value(), kv.value()).host()).orElse("");
                        throw new OverlayException("name '" + e.name() + "' is taken on overlay network '" + n.name() + "' by endpoint "
                                + owner.get().value() + holder + "; choose another name or disconnect that endpoint");
                    }
                }
            }
            throw new OverlayException("could not announce endpoint " + e.id() + " on '" + n.name() + "': the network kept changing");
        } finally {
            AtomicInteger c = preparing.get(n.id());
            if (c != null) {
                c.decrementAndGet();
            }
            markDirty(Set.of(n.id()));
        }
    }

    private List<Op> advertOps(OverlayEndpoint e) {
        EndpointAdvert a = new EndpointAdvert(e.network().id(), e.id(), me, vtep, e.ip(), e.mac(), e.name(), bootId, e.aliases());
        List<Op> ops = new ArrayList<>();
        ops.add(Op.put(keys.endpoint(e.network().id(), e.id()), a.encode(), lease));
        if (e.name() != null) {
            ops.add(Op.put(keys.name(e.network().id(), e.name()), e.id(), lease));
        }
        return ops;
    }

    /**
     * Withdraws a local endpoint from every host at once; when it was the network's last local
     * endpoint, the kernel thread then removes the network's devices (once nothing else is attached).
     */
    public void withdraw(OverlayNetwork n, String endpointId) {
        Map<String, OverlayEndpoint> eps = local.get(n.id());
        OverlayEndpoint e = eps == null ? null : eps.remove(endpointId);
        List<Op> ops = new ArrayList<>(List.of(Op.delete(keys.endpoint(n.id(), endpointId)), Op.delete(keys.owner(n.id(), endpointId))));
        if (e != null && e.name() != null) {
            ops.add(Op.delete(keys.name(n.id(), e.name())));
        }
        store.txn(Txn.when().then(ops));
        if (e != null && e.container() != null) {
            writeNames(e.container(), List.of());
        }
        markDirty(Set.of(n.id()));
    }

    /** The host an endpoint of the network lives on (durable: also while that host is down), if known. */
    public Optional<HostId> ownerOf(OverlayNetwork n, String endpointId) {
        return store.get(keys.owner(n.id(), endpointId)).map(kv -> HostId.of(kv.value()));
    }

    /** This host's endpoints on the network, as announced. */
    public List<OverlayEndpoint> localEndpoints(OverlayNetwork n) {
        return List.copyOf(local.getOrDefault(n.id(), Map.of()).values());
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
        markDirty(Set.of(e.network().id()));
    }

    /** The host-side interface of an endpoint: {@code nlo} and 8 characters of its id. */
    public static String hostInterface(String endpointId) {
        return "nlo" + endpointId.substring(0, Math.min(8, endpointId.length()));
    }

    /** The MAC an overlay endpoint with IPv4 address {@code ip} gets: 02:42 and the four address bytes (Docker's rule). */
    public static MacAddress macFor(InetAddress ip) {
        return MacAddress.fromIpv4(ip);
    }

    // ---- lease ------------------------------------------------------------------------------

    private void keepAlive() {
        try {
            store.keepAlive(lease);
        } catch (LeaseNotFoundException gone) {
            reRegister();
        } catch (ClusterStoreException unreachable) {
            LOG.warn("overlay agent {}: lease keep-alive failed ({}); retrying", me, unreachable.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("overlay agent {}: lease keep-alive failed", me, e);
        }
    }

    /**
     * The lease expired while this host was cut off: a new lease, then the host record and every
     * local endpoint again, in one transaction, so the others re-program them (with replace).
     */
    private void reRegister() {
        long fresh = store.grantLease(ttl);
        long old = lease;
        lease = fresh;
        List<Op> ops = new ArrayList<>(List.of(Op.put(keys.host(me), hostRecord().encode(), fresh)));
        local.values().forEach(eps -> eps.values().forEach(e -> ops.addAll(advertOps(e))));
        store.txn(Txn.when().then(ops));
        LOG.warn("overlay agent {}: lease {} was lost; re-registered under lease {} with {} endpoint(s)", me,
                Long.toHexString(old), Long.toHexString(fresh), ops.size() - 1);
    }

    /** Drops the lease now, as if it had expired (tests of a lost lease); the keep-alive then re-registers. */
    public void dropLeaseForTest() {
        store.revokeLease(lease);
    }

    // ---- watch and relist -------------------------------------------------------------------

    private void relist() {
        if (closed) {
            return;
        }
        long gen = watchGeneration.incrementAndGet();
        Watch old = watch;
        if (old != null) {
            old.close();
        }
        try {
            Range r = store.range(keys.prefix);
            Set<String> touched = view.reset(r);
            touched.addAll(local.keySet());
            touched.addAll(programmed.keySet());
            relists.incrementAndGet();
            lastHeard = System.nanoTime();
            watch = store.watch(keys.prefix, r.revision() + 1, new Listener(gen));
            markDirty(touched);
            marked(view.revision());
        } catch (ClusterStoreException e) {
            LOG.warn("overlay agent {}: cannot read the store ({}); trying again in 1 s", me, e.getMessage());
            scheduleRelist(1000);
        }
    }

    private void scheduleRelist(long delayMs) {
        if (!closed) {
            try {
                scheduler.schedule(this::relist, delayMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // closing
            }
        }
    }

    /**
     * Stall detection, on the scheduler: a watch silent for three progress intervals is cancelled and
     * replaced (snapshot, diff, new watch); otherwise the store is asked for a progress answer, so a
     * quiet but healthy watch is heard from at least once an interval.
     */
    private void checkWatch() {
        Watch w = watch;
        if (closed || w == null) {
            return;
        }
        long silentMs = (System.nanoTime() - lastHeard) / 1_000_000;
        if (silentMs > 3 * watchProgress.toMillis()) {
            stalls.incrementAndGet();
            lastHeard = System.nanoTime(); // one relist per bound, however long the store stays away
            LOG.warn("overlay agent {}: the watch delivered nothing, not even a progress answer, for {} ms; cancelling it and reading a new snapshot",
                    me, silentMs);
            relist();
            return;
        }
        try {
            w.requestProgress();
        } catch (RuntimeException e) {
            LOG.debug("overlay agent {}: progress request failed ({}); the stall check will notice", me, e.toString());
        }
    }

    /** How many watches were found stalled and replaced. */
    public long stalledWatches() {
        return stalls.get();
    }

    /** Stops watching without reading a snapshot, as a watcher that falls behind (tests of compaction). */
    void pauseWatchForTest() {
        watchGeneration.incrementAndGet();
        Watch w = watch;
        watch = null; // no watch, nothing to find stalled
        if (w != null) {
            w.close();
        }
    }

    /** Watches again from an old revision, as a watcher that fell behind would (tests of compaction). */
    void resumeWatchForTest(long fromRevision) {
        lastHeard = System.nanoTime();
        watch = store.watch(keys.prefix, fromRevision, new Listener(watchGeneration.incrementAndGet()));
    }

    /** How many snapshots the agent has read (1 at start, then one per compaction or lost watch). */
    public long relists() {
        return relists.get();
    }

    private final class Listener implements WatchListener {
        private final long generation;

        Listener(long generation) {
            this.generation = generation;
        }

        private boolean current() {
            return generation == watchGeneration.get() && !closed;
        }

        @Override
        public void onEvents(List<WatchEvent> events) {
            if (current()) {
                lastHeard = System.nanoTime();
                markDirty(view.apply(events));
                marked(view.revision());
            }
        }

        @Override
        public void onProgress(long revision) {
            if (current()) {
                lastHeard = System.nanoTime();
            }
        }

        /** A watch ends once: a compaction may be followed by a close of the same watch, which must not cause a second relist. */
        private final AtomicBoolean ended = new AtomicBoolean();

        @Override
        public void onCompacted(long compactRevision) {
            if (current() && ended.compareAndSet(false, true)) {
                LOG.info("overlay agent {}: watch compacted (store kept revisions from {}); reading a new snapshot", me, compactRevision);
                scheduleRelist(0);
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            if (current() && ended.compareAndSet(false, true)) {
                LOG.warn("overlay agent {}: watch ended ({}); reading a new snapshot in 200 ms", me, cause == null ? "closed" : cause.toString());
                scheduleRelist(200);
            }
        }
    }

    /** A reconcile of one network that {@link #advertise} schedules; runs once, on time or earlier through {@link #settleForTest}. */
    private final class FollowUp implements Runnable {
        private final String network;
        private volatile java.util.concurrent.ScheduledFuture<?> future;

        FollowUp(String network) {
            this.network = network;
        }

        @Override
        public void run() {
            if (followUps.remove(this)) {
                markDirty(Set.of(network));
            }
        }
    }

    private void marked(long revision) {
        synchronized (marked) {
            if (revision > markedRevision) {
                markedRevision = revision;
                marked.notifyAll();
            }
        }
    }

    /**
     * Brings the agent to rest, for tests that change the kernel behind its back and want the diff,
     * not a repair, to see the change first: waits until the watch has delivered every key the store
     * holds now (at the revision it holds it) and marked its networks, runs the reconciles adverts
     * scheduled for later at once, then waits for the kernel thread. Afterwards only a new store
     * change, a relist or anti-entropy reconciles again. Deletes the store no longer shows are not
     * waited for.
     *
     * @throws OverlayException if the watch does not deliver within 10 s
     */
    void settleForTest() {
        long want = store.range(keys.prefix).kvs().stream().mapToLong(KeyValue::modRevision).max().orElse(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (marked) {
            while (markedRevision < want) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    throw new OverlayException("overlay agent " + me + ": the watch did not deliver revision " + want + " within 10 s");
                }
                try {
                    marked.wait(leftMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OverlayException("interrupted while waiting for overlay agent " + me + "'s watch", e);
                }
            }
        }
        try {
            // on the scheduler's one thread: a follow-up already running there has finished first
            scheduler.submit(() -> List.copyOf(followUps).forEach(u -> {
                if (u.future != null) {
                    u.future.cancel(false);
                }
                u.run();
            })).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new OverlayException("overlay agent " + me + ": scheduled reconciles did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverlayException("interrupted while running overlay agent " + me + "'s scheduled reconciles", e);
        }
        sync();
    }

    // ---- kernel -----------------------------------------------------------------------------

    private Set<String> allNetworkIds() {
        Set<String> ids = new HashSet<>(view.networkIds());
        ids.addAll(local.keySet());
        ids.addAll(programmed.keySet());
        return ids;
    }

    private void markDirty(Set<String> ids) {
        if (ids.isEmpty() || closed) {
            return;
        }
        dirty.addAll(ids);
        if (drainQueued.compareAndSet(false, true)) {
            try {
                kernelThread.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                drainQueued.set(false);
            }
        }
    }

    private void drain() {
        drainQueued.set(false);
        for (String id : List.copyOf(dirty)) {
            dirty.remove(id);
            try {
                reconcile(id, null);
            } catch (RuntimeException e) {
                LOG.warn("overlay agent {}: reconciling network {} failed; anti-entropy retries it", me, id, e);
            }
        }
    }

    private boolean hasLocal(String id) {
        AtomicInteger p = preparing.get(id);
        return !local.getOrDefault(id, Map.of()).isEmpty() || (p != null && p.get() > 0);
    }

    /** Makes the kernel match the store for one network (kernel thread only). */
    private void reconcile(String id, OverlayNetwork given) {
        OverlayNetwork n = view.network(id).orElse(given);
        if (n == null || !hasLocal(id)) {
            OverlayNetwork was = n != null ? n : programmed.get(id);
            if (was != null && kernel.devicesPresent(was) && !kernel.hasLocalPorts(was) && !vniTakenByAnother(was)) {
                kernel.removeDevices(was);
            }
            if (was != null && (!kernel.devicesPresent(was) || vniTakenByAnother(was))) {
                programmed.remove(id);
            }
            return;
        }
        kernel.ensureDevices(n, mtu(n));
        programmed.put(id, n);
        kernel.syncPeers(n, remote(n), false);
        scheduleNames(n);
    }

    /**
     * True if another network with the same VNI (so the same device names) has local endpoints or
     * one being prepared: a removed network's VNI is free for the next create at once, and a late
     * reconcile of the old network must not take the devices just made for the new one (between its
     * prepare and its veth joining the bridge, the bridge has no local port yet).
     */
    private boolean vniTakenByAnother(OverlayNetwork was) {
        for (OverlayNetwork other : programmed.values()) {
            if (!other.id().equals(was.id()) && other.vni() == was.vni() && hasLocal(other.id())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hosts files are rewritten at most every 50 ms per network: a burst of joins then costs one
     * rewrite per local container instead of one per join (each rewrite lists every name).
     */
    private void scheduleNames(OverlayNetwork n) {
        if (hostsRoot == null || !namesPending.add(n.id())) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                namesPending.remove(n.id());
                try {
                    kernelThread.execute(() -> writeNames(view.network(n.id()).orElse(n)));
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // closing
                }
            }, 50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            namesPending.remove(n.id());
        }
    }

    private List<EndpointAdvert> remote(OverlayNetwork n) {
        return view.adverts(n.id()).stream().filter(a -> !a.host().equals(me)).toList();
    }

    private void writeNames(OverlayNetwork n) {
        if (hostsRoot == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (EndpointAdvert a : view.adverts(n.id())) {
            List<String> names = a.names();
            if (!names.isEmpty()) {
                lines.add(IpAddresses.format(a.ip()) + "\t" + String.join(" ", names));
            }
        }
        for (OverlayEndpoint e : local.getOrDefault(n.id(), Map.of()).values()) {
            if (e.container() != null) {
                writeNames(e.container(), lines);
            }
        }
    }

    private void writeNames(String container, List<String> lines) {
        if (hostsRoot == null) {
            return;
        }
        try {
            NamesFile.write(hostsRoot, container, lines);
        } catch (IOException e) {
            LOG.warn("overlay agent {}: cannot write the hosts file of {}: {}", me, container, e.toString());
        }
    }

    /**
     * At start: this host's adverts from an earlier run (another boot id) are deleted, with their
     * names, so no host keeps programming endpoints that died with that run.
     */
    private void collectStaleAdverts(Range snapshot) {
        List<Op> ops = new ArrayList<>();
        for (KeyValue kv : snapshot.kvs()) {
            String rest = kv.key().substring(keys.prefix.length());
            String[] parts = rest.split("/");
            if (parts.length == 3 && parts[0].equals("endpoints")) {
                EndpointAdvert a = EndpointAdvert.decode(kv.key(), parts[1], parts[2], kv.value());
                if (a.host().equals(me) && !a.bootId().equals(bootId)) {
                    ops.add(Op.delete(kv.key()));
                    if (a.name() != null) {
                        ops.add(Op.delete(keys.name(a.network(), a.name())));
                    }
                }
            }
        }
        if (!ops.isEmpty()) {
            LOG.info("overlay agent {}: collecting {} stale key(s) of an earlier run", me, ops.size());
            store.txn(Txn.when().then(ops));
        }
    }

    /**
     * At start: overlay devices whose network is gone, or that no local endpoint uses (e.g. left by a
     * crash between creating the VXLAN device and announcing the endpoint), are deleted, so a later
     * create never meets "file exists"; so are the records of VXLAN devices that are gone.
     */
    private Void collectStaleDevices() {
        Map<Integer, OverlayNetwork> byVni = new java.util.HashMap<>();
        view.networks().forEach(n -> byVni.put(n.vni(), n));
        for (var d : kernel.overlayDevices().entrySet()) {
            OverlayNetwork n = byVni.get(d.getValue());
            String vx = String.format("nlv-%06x", d.getValue());
            String br = String.format("nlb-%06x", d.getValue());
            boolean used = n != null && kernel.bridgeHasPortsBesides(br, vx);
            if (!used) {
                LOG.info("overlay agent {}: collecting stale device {}", me, d.getKey());
                kernel.deleteLink(d.getKey());
            } else {
                programmed.put(n.id(), n);
            }
        }
        kernel.collectRecords();
        return null;
    }

    /**
     * The differences between this host's kernel and the store as it is now (a fresh read, not the
     * agent's copy), in words: missing or stray devices, neighbour and FDB entries. Empty when the
     * kernel equals the store. Runs on the kernel thread, after the changes already queued.
     */
    public List<String> diff() {
        ClusterView now = new ClusterView(keys);
        now.reset(store.range(keys.prefix));
        return call(() -> {
            List<String> out = new ArrayList<>();
            Set<Integer> wanted = new HashSet<>();
            for (OverlayNetwork n : now.networks()) {
                List<EndpointAdvert> all = now.adverts(n.id());
                if (all.stream().noneMatch(a -> a.host().equals(me))) {
                    continue;
                }
                wanted.add(n.vni());
                if (kernel.devicesPresent(n)) {
                    out.addAll(kernel.syncPeers(n, all.stream().filter(a -> !a.host().equals(me)).toList(), true));
                } else {
                    out.add("network " + n.name() + ": devices " + n.bridgeName() + "/" + n.vxlanName() + " missing");
                }
            }
            for (var d : kernel.overlayDevices().entrySet()) {
                if (!wanted.contains(d.getValue())) {
                    out.add("stray device " + d.getKey());
                }
            }
            return out;
        });
    }

    /** Waits until the changes queued so far have reached the kernel. */
    public void sync() {
        call(() -> null);
    }

    private <T> T call(Callable<T> task) {
        Future<T> f;
        try {
            f = kernelThread.submit(() -> {
                drain();
                return task.call();
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            throw new OverlayException("overlay agent " + me + " is closed");
        }
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new OverlayException("overlay agent " + me + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverlayException("interrupted while waiting for the overlay agent's kernel thread", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new OverlayException("overlay agent " + me + ": kernel thread did not answer within 60 s", e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new OverlayException("overlay agent " + me + " is closed");
        }
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
        return lease;
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
