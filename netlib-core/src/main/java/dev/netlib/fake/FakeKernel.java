package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.NetlibException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteInfo;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.spi.change.SetNeighbor;
import dev.netlib.value.NamespaceName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory Linux kernel for unit tests: no privileges, no side effects, fully inspectable.
 *
 * <p>It models any number of network namespaces (the root one starts with {@code lo} up and
 * 127.0.0.1/8; every new one gets {@code lo} down), each with links, addresses, routes,
 * neighbours, bridge FDB entries and sysctls, and reproduces what code built on netlib depends on,
 * with the errno Linux 6.x gives and, where the kernel sends one, its extended-ack text:
 * <ul>
 *   <li>EEXIST for a duplicate name in one namespace (the same name in another is fine), for an
 *       address, route or neighbour that exists, and when a link moves into a namespace that
 *       already has its name;</li>
 *   <li>ENODEV for unknown devices; deleting one veth end deletes its peer wherever it lives;
 *       deleting a namespace destroys its links and their peers (and macvlans) elsewhere;</li>
 *   <li>an address needs an existing link; an address on an up link brings its connected route
 *       (proto kernel, scope link); a route via a gateway no connected route covers fails with
 *       ENETUNREACH "Nexthop has invalid gateway" (EHOSTUNREACH for IPv6); a device route on a
 *       down link fails with ENETDOWN;</li>
 *   <li>enslaving to a non-bridge fails with EOPNOTSUPP; an MTU outside the device's range fails
 *       with EINVAL "mtu less than device minimum" / "mtu greater than device maximum"
 *       (veth, bridge, vxlan, macvlan: 68..65535; dummy and lo: no bounds);</li>
 *   <li>operational state follows the admin state: a veth is UP only while both ends are up
 *       (LOWERLAYERDOWN otherwise), a macvlan follows its lower device, a bridge is UP while a
 *       port is, UNKNOWN without ports; links with carrier get an IPv6 link-local address
 *       unless their addrgenmode is none; taking a link down drops its routes, IPv6 addresses
 *       and neighbours, as Linux does;</li>
 *   <li>a veth reports its peer's index and, when the peer lives elsewhere, the peer namespace's
 *       id (IFLA_LINK_NETNSID), so {@link LinkInfo#displayName()} prints {@code eth0@if7};</li>
 *   <li>bridges and lo cannot change namespace (EINVAL "The interface netns is immutable"); a
 *       moved link arrives down, without addresses, keeping its index when it is free;</li>
 *   <li>renaming is allowed while a link is up, as since Linux 6.2;</li>
 *   <li>device indexes are counted per namespace as Linux does (lo is 1, the first new device 2),
 *       so the two ends of a veth in different namespaces often have the same number; a create
 *       for which LinuxBackend asks for indexes of its own choosing
 *       ({@link dev.netlib.spi.change.IfindexChoice}: follow-up requests, a veth peer born in
 *       another namespace) gets indexes from the same range here (from 2^30 up, the same in every
 *       run), because the kernel's answers depend on them (a carrier-less veth looks its peer's
 *       index up in its own namespace);</li>
 *   <li>a create request may carry everything the SPI allows, including the veth peer's state,
 *       master and addrgenmode, which Linux itself only takes in follow-up requests (see the
 *       contract suite, {@code dev.netlib.contract.BackendContract}, in the test-jar);</li>
 *   <li>sysctls of a fresh namespace (net.ipv4.ip_forward=0, net.ipv6.conf.all.disable_ipv6=0,
 *       per-device net.ipv4.conf.DEV.* and net.ipv6.conf.DEV.*, ...); unknown keys fail with
 *       ENOENT, non-numbers with EINVAL.</li>
 * </ul>
 *
 * <p>{@link #apply} behaves as the {@link Backend} contract says: every change is attempted, the
 * first failure is thrown with {@link KernelException#inBatch}. A change the fake refuses leaves
 * no trace.
 *
 * <p>For tests of error paths and all-or-nothing behaviour it counts requests and injects
 * faults: every call of a {@link Backend} method that asks the kernel something is one request
 * (each change of an {@code apply} is one request, as each is one netlink message; {@link
 * #name()}, {@link #root()}, {@link #release} and {@link #close()} are not requests). See {@link
 * #failNth}, {@link #failNext}, {@link #requestCount()}, {@link #history()} and {@link #snapshot()}.
 *
 * <p>{@link #run} runs the task on a new thread, but the fake cannot move a thread into another
 * namespace: sockets the task opens are the machine's. The task can ask {@link
 * #namespaceOfCurrentThread()} which namespace it was meant to run in.
 *
 * <p>Thread-safe: one lock guards all state.
 */
public final class FakeKernel implements Backend {
    private static final Pattern PROC_PID_NS = Pattern.compile("/proc/(\\d+)/ns/net");

    private final ReentrantLock lock = new ReentrantLock();
    private final FakeWorld world;
    private final FakeLinks links;
    private final FakeFaults faults = new FakeFaults();
    private final FakeNetnsRef rootRef;
    private final List<FakeNetnsRef> issued = new ArrayList<>();
    private final Map<Long, FakeNamespace> processes = new HashMap<>();
    private final List<String> history = new ArrayList<>();
    private final ThreadLocal<FakeNetnsRef> runningIn = new ThreadLocal<>();
    private final AtomicInteger runThreads = new AtomicInteger();
    private final dev.netlib.fake.nft.FakeFirewall firewall = new dev.netlib.fake.nft.FakeFirewall();
    private int requestCount;
    private int changeCount;
    private boolean closed;

    /**
     * A new in-memory kernel whose root namespace holds only {@code lo}, up, with 127.0.0.1/8. Like the
     * kernel the contract suite checks it against, it has no bridge VLAN filtering
     * (CONFIG_BRIDGE_VLAN_FILTERING): see {@link #withBridgeVlanFiltering()}.
     */
    public FakeKernel() {
        this(false);
    }

    private FakeKernel(boolean bridgeVlanFiltering) {
        world = new FakeWorld(bridgeVlanFiltering);
        links = new FakeLinks(world);
        rootRef = new FakeNetnsRef(world.root, null);
    }

    /**
     * A new in-memory kernel built with bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING, as most
     * distribution kernels are): a bridge takes {@code vlan_filtering 1}, and the bridge and each of its
     * ports have VLAN 1 (the default PVID) whether filtering is on or not, so a bridge FDB entry added
     * without a VLAN is written on VLAN 0 and on VLAN 1, one may name VLAN 1, and a delete without a
     * VLAN takes both (br_fdb_add(), br_fdb_delete()). There is no {@code bridge vlan add}: no other
     * VLAN exists.
     */
    public static FakeKernel withBridgeVlanFiltering() {
        return new FakeKernel(true);
    }

    // ---- test controls ----------------------------------------------------------------------

    /**
     * Makes the {@code n}th request from now (1 = the next one) fail with {@code errno}, reads
     * included. Several countdowns may be pending.
     */
    public void failNth(int n, int errno) {
        if (n < 1) {
            throw new IllegalArgumentException("n counts requests from now and starts at 1, not " + n);
        }
        withLock(() -> faults.failNth(n, Errno.of(errno)));
    }

    /** Like {@link #failNth(int, int)} with an {@link Errno} constant: {@code failNth(2, Errno.ENOMEM)}. */
    public void failNth(int n, Errno errno) {
        failNth(n, errno.number());
    }

    /** Like {@link #failNext(Class, int)} with an {@link Errno} constant. */
    public void failNext(Class<? extends KernelChange> kind, Errno errno) {
        failNext(kind, errno.number());
    }

    /** Makes the next change of this kind (e.g. {@code AddRoute.class}) fail with {@code errno}. */
    public void failNext(Class<? extends KernelChange> kind, int errno) {
        withLock(() -> faults.failNext(kind, Errno.of(errno)));
    }

    /** Forgets every pending injected fault. */
    public void clearFaults() {
        withLock(faults::clear);
    }

    /** Requests received since creation or {@link #resetCounts()}: reads, namespace operations and each change. */
    public int requestCount() {
        return locked(() -> requestCount);
    }

    /** Changes received through {@link #apply} (attempted, whether or not they took effect). */
    public int changeCount() {
        return locked(() -> changeCount);
    }

    /** Sets both counters to zero. */
    public void resetCounts() {
        withLock(() -> {
            requestCount = 0;
            changeCount = 0;
        });
    }

    /**
     * The changes that took effect, oldest first, as the commands that would make them:
     * {@code ip -n ns1 link add ...} ({@code -n NAME} for named namespaces; an anonymous one is
     * shown by its description), {@code ip netns add ns1}, {@code ip netns exec ns1 sysctl -w k=v}.
     */
    public List<String> history() {
        return locked(() -> List.copyOf(history));
    }

    /** Forgets the history. */
    public void clearHistory() {
        withLock(history::clear);
    }

    /** The whole state as an immutable value (not a request). */
    public FakeSnapshot snapshot() {
        return locked(() -> {
            List<FakeSnapshot.NamespaceState> out = new ArrayList<>();
            for (FakeNamespace ns : world.namespaces.stream().sorted(Comparator.comparingLong(n -> n.inode)).toList()) {
                Map<String, String> sysctls = new TreeMap<>(ns.sysctls);
                ns.deviceSysctls.forEach((l, m) -> m.forEach((k, v) -> {
                    String family = k.substring(0, k.indexOf('.'));
                    sysctls.put("net." + family + ".conf." + l.name.replace('.', '/') + k.substring(k.indexOf('.')), v);
                }));
                out.add(new FakeSnapshot.NamespaceState(ns.inode, ns.name, FakeReads.linkInfos(ns), FakeReads.addressInfos(ns),
                        FakeReads.routeInfos(ns), FakeReads.neighborInfos(ns), FakeReads.fdbInfos(ns), sysctls));
            }
            return new FakeSnapshot(out);
        });
    }

    /**
     * Lets {@link NamespaceLocator.ByPid} (and {@code /proc/PID/ns/net}) find {@code ns} for
     * {@code pid}; the process keeps the namespace alive until {@link #unregisterProcess}.
     */
    public void registerProcess(long pid, NetnsRef ns) {
        withLock(() -> {
            FakeNamespace target = world.resolve(ns);
            FakeNamespace old = processes.put(pid, target);
            target.holders++;
            if (old != null) {
                world.unhold(old);
            }
        });
    }

    /** The process exited: it no longer keeps its namespace alive. */
    public void unregisterProcess(long pid) {
        withLock(() -> {
            FakeNamespace old = processes.remove(pid);
            if (old != null) {
                world.unhold(old);
            }
        });
    }

    /** Inside a task given to {@link #run}: the namespace the task runs "in"; empty elsewhere. */
    public Optional<NetnsRef> namespaceOfCurrentThread() {
        return Optional.ofNullable(runningIn.get());
    }

    // ---- Backend: namespaces ----------------------------------------------------------------

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public NetnsRef root() {
        return rootRef;
    }

    @Override
    public NetnsRef createNamespace(String nameOrNull) {
        return locked(() -> {
            String op = nameOrNull != null ? "ip netns add " + Commands.quote(nameOrNull) : "unshare --net";
            request(null, op);
            if (nameOrNull != null) {
                NamespaceName.validate(nameOrNull);
                if (world.byName(nameOrNull) != null) {
                    throw Fail.of(Errno.EEXIST, op, null);
                }
            }
            FakeNamespace ns = world.newNamespace(nameOrNull);
            FakeNetnsRef ref = issue(ns, nameOrNull);
            history.add(Commands.addNamespace(ref));
            return ref;
        });
    }

    @Override
    public NetnsRef openNamespace(NamespaceLocator locator) {
        return locked(() -> {
            String op = "open " + describe(locator);
            request(null, op);
            FakeNamespace ns = find(locator);
            if (ns == null) {
                throw Fail.of(Errno.ENOENT, op, null);
            }
            // as the Linux backend: by pid or by a path outside /var/run/netns, the ref knows its file, not a name
            String path = describe(locator);
            boolean byName = ns.name != null && path.equals("/var/run/netns/" + ns.name)
                    || locator instanceof NamespaceLocator.ByPath p && isNetnsName(p.path().normalize().toString());
            return byName ? issue(ns, ns.name, null) : issue(ns, null, Path.of(path));
        });
    }

    private static String describe(NamespaceLocator l) {
        if (l instanceof NamespaceLocator.ByName n) {
            return "/var/run/netns/" + n.name();
        }
        if (l instanceof NamespaceLocator.ByPid p) {
            return "/proc/" + p.pid() + "/ns/net";
        }
        return ((NamespaceLocator.ByPath) l).path().toString();
    }

    private FakeNamespace find(NamespaceLocator locator) {
        if (locator instanceof NamespaceLocator.ByName n) {
            return world.byName(n.name());
        }
        if (locator instanceof NamespaceLocator.ByPid p) {
            return byPid(p.pid());
        }
        Path path = ((NamespaceLocator.ByPath) locator).path().normalize();
        String s = path.toString();
        for (String dir : List.of("/var/run/netns/", "/run/netns/")) {
            if (s.startsWith(dir) && s.length() > dir.length() && s.indexOf('/', dir.length()) < 0) {
                return world.byName(s.substring(dir.length()));
            }
        }
        if (s.equals("/proc/self/ns/net") || s.equals("/proc/thread-self/ns/net")) {
            return world.root;
        }
        Matcher m = PROC_PID_NS.matcher(s);
        return m.matches() ? byPid(Long.parseLong(m.group(1))) : null;
    }

    private FakeNamespace byPid(long pid) {
        FakeNamespace ns = processes.get(pid);
        if (ns == null && pid == ProcessHandle.current().pid()) {
            return world.root;
        }
        return ns;
    }

    private static boolean isNetnsName(String path) {
        for (String dir : List.of("/var/run/netns/", "/run/netns/")) {
            if (path.startsWith(dir) && path.length() > dir.length() && path.indexOf('/', dir.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    private FakeNetnsRef issue(FakeNamespace ns, String name) {
        return issue(ns, name, null);
    }

    private FakeNetnsRef issue(FakeNamespace ns, String name, Path file) {
        FakeNetnsRef ref = new FakeNetnsRef(ns, name, file);
        ns.holders++;
        issued.add(ref);
        return ref;
    }

    @Override
    public void deleteNamespace(NetnsRef ref) {
        withLock(() -> {
            String op = Commands.deleteNamespace(ref);
            request(null, op);
            FakeNamespace ns = world.resolve(ref);
            if (ns.root) {
                throw Fail.of(Errno.EBUSY, op, "refusing to delete the root namespace");
            }
            if (ns.name != null) {
                history.add("ip netns del " + ns.name);
                ns.name = null; // umount + unlink of /var/run/netns/NAME
            }
            releaseRef((FakeNetnsRef) ref);
        });
    }

    @Override
    public void release(NetnsRef ref) {
        withLock(() -> {
            if (ref instanceof FakeNetnsRef r && r != rootRef) {
                releaseRef(r);
            }
        });
    }

    private void releaseRef(FakeNetnsRef r) {
        if (r == rootRef || r.released) {
            return;
        }
        r.released = true;
        issued.remove(r);
        world.unhold(r.target);
    }

    @Override
    public List<String> listNamespaces() {
        return locked(() -> {
            request(null, "ip netns list");
            return world.namespaces.stream().map(n -> n.name).filter(n -> n != null).sorted().toList();
        });
    }

    @Override
    public int namespaceId(NetnsRef in, NetnsRef target) {
        return locked(() -> {
            request(null, "ip netns list-id");
            FakeNamespace a = world.resolve(in);
            FakeNamespace b = world.resolve(target);
            return a.nsids.getOrDefault(b.inode, -1);
        });
    }

    @Override
    public <T> T run(NetnsRef ns, Callable<T> task) throws Exception {
        FakeNetnsRef ref = locked(() -> {
            request(null, "ip netns exec " + ns.describe());
            world.resolve(ns);
            return (FakeNetnsRef) ns;
        });
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            runningIn.set(ref);
            try {
                result[0] = task.call();
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                runningIn.remove();
            }
        }, "netlib-fake-netns-" + runThreads.incrementAndGet());
        t.setDaemon(true);
        t.start();
        t.join();
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    // ---- Backend: changes -------------------------------------------------------------------

    @Override
    public void apply(NetnsRef ref, List<? extends KernelChange> changes) {
        withLock(() -> {
            KernelException first = null;
            int failedIndex = -1;
            List<Integer> applied = new ArrayList<>();
            for (int i = 0; i < changes.size(); i++) {
                KernelChange change = changes.get(i);
                changeCount++;
                String op = Commands.of(ref, change);
                try {
                    request(change, op);
                    FakeNamespace ns = world.resolve(ref);
                    applyOne(ns, change, op);
                    applied.add(i);
                    history.add(op);
                } catch (KernelException e) {
                    if (first == null) {
                        first = e;
                        failedIndex = i;
                    }
                }
            }
            if (first != null) {
                throw first.inBatch(failedIndex, applied);
            }
        });
    }

    private void applyOne(FakeNamespace ns, KernelChange change, String op) {
        change.accept(new KernelChange.Visitor<Void>() {
            @Override
            public Void createLink(CreateLink c) {
                links.create(ns, c, op);
                return null;
            }

            @Override
            public Void setLink(SetLink c) {
                links.set(ns, c, op);
                return null;
            }

            @Override
            public Void deleteLink(DeleteLink c) {
                links.delete(ns, c, op);
                return null;
            }

            @Override
            public Void deleteLinkGroup(DeleteLinkGroup c) {
                links.deleteGroup(ns, c, op);
                return null;
            }

            @Override
            public Void addAddress(AddAddress c) {
                FakeIp.addAddress(ns, c, op);
                return null;
            }

            @Override
            public Void deleteAddress(DeleteAddress c) {
                FakeIp.deleteAddress(ns, c, op);
                return null;
            }

            @Override
            public Void addRoute(AddRoute c) {
                FakeIp.addRoute(ns, c, op);
                return null;
            }

            @Override
            public Void deleteRoute(DeleteRoute c) {
                FakeIp.deleteRoute(ns, c, op);
                return null;
            }

            @Override
            public Void setNeighbor(SetNeighbor c) {
                FakeNeighbors.set(ns, c, op);
                return null;
            }

            @Override
            public Void deleteNeighbor(DeleteNeighbor c) {
                FakeNeighbors.delete(ns, c, op);
                return null;
            }

            @Override
            public Void addFdb(AddFdb c) {
                FakeNeighbors.add(ns, c, op);
                return null;
            }

            @Override
            public Void deleteFdb(DeleteFdb c) {
                FakeNeighbors.delete(ns, c, op);
                return null;
            }
        });
    }

    // ---- Backend: state ---------------------------------------------------------------------

    @Override
    public List<LinkInfo> links(NetnsRef ref) {
        return read(ref, "ip -d link show", FakeReads::linkInfos);
    }

    @Override
    public Optional<LinkInfo> link(NetnsRef ref, String name) {
        return read(ref, "ip -d link show dev " + name, ns -> Optional.ofNullable(ns.byName(name)).map(FakeLink::info));
    }

    @Override
    public List<AddressInfo> addresses(NetnsRef ref) {
        return read(ref, "ip addr show", FakeReads::addressInfos);
    }

    @Override
    public List<RouteInfo> routes(NetnsRef ref) {
        return read(ref, "ip route show table all", FakeReads::routeInfos);
    }

    @Override
    public List<NeighborInfo> neighbors(NetnsRef ref) {
        return read(ref, "ip neigh show", FakeReads::neighborInfos);
    }

    @Override
    public List<FdbInfo> fdb(NetnsRef ref) {
        return read(ref, "bridge fdb show", FakeReads::fdbInfos);
    }

    @Override
    public String readSysctl(NetnsRef ref, String key) {
        try {
            return read(ref, "sysctl -n " + key, ns -> FakeSysctls.read(ns, key) + "\n");
        } catch (KernelException e) {
            throw e.withOperation(Commands.readSysctl(ref, key));
        }
    }

    @Override
    public void writeSysctl(NetnsRef ref, String key, String value) {
        withLock(() -> {
            String op = Commands.sysctl(ref, key, value);
            request(null, op);
            FakeNamespace ns = world.resolve(ref);
            FakeSysctls.write(ns, key, value, op);
            world.settle(); // IPv6 switched back on: a new link-local address
            history.add(op);
        });
    }

    // ---- nftables: netlib's own table, modelled by FakeFirewall ------------------------------

    @Override
    public List<String> applyFirewall(NetnsRef ref, List<dev.netlib.spi.nft.FirewallChange> changes) {
        List<String> done = new java.util.ArrayList<>();
        withLock(() -> {
            request(null, "nft -f -");
            FakeNamespace ns = world.resolve(ref);
            // the nf_tables layer renders each rule as an nft command; Commands puts it in its namespace
            done.addAll(firewall.apply(ns, changes).commands());
            done.forEach(c -> history.add(Commands.exec(ref, c)));
        });
        return done;
    }

    @Override
    public List<dev.netlib.spi.nft.FirewallRule> firewallRules(NetnsRef ref) {
        return read(ref, "nft list table ip netlib", firewall::rules);
    }

    @Override
    public List<dev.netlib.spi.nft.FirewallRule> firewallRulesHolding(NetnsRef ref, List<dev.netlib.spi.nft.FirewallRule> rules) {
        return read(ref, "nft get element ip netlib", ns -> firewall.holding(ns, rules));
    }

    /** netlib's nftables table per namespace, for tests that look at chains and kernel rules. */
    public dev.netlib.fake.nft.FakeFirewall firewall() {
        return firewall;
    }

    @Override
    public void close() {
        withLock(() -> {
            for (FakeNetnsRef r : List.copyOf(issued)) {
                releaseRef(r);
            }
            closed = true;
        });
    }

    // ---- helpers ----------------------------------------------------------------------------

    private <T> T read(NetnsRef ref, String op, java.util.function.Function<FakeNamespace, T> reader) {
        return locked(() -> {
            request(null, op);
            return reader.apply(world.resolve(ref));
        });
    }

    /** Counts one request and throws an injected fault aimed at it. */
    private void request(KernelChange change, String op) {
        if (closed) {
            throw new NetlibException("FakeKernel was closed");
        }
        requestCount++;
        Errno injected = faults.onRequest(change);
        if (injected != null) {
            throw KernelException.of(injected, op, "fault injected by FakeKernel");
        }
    }

    private interface Body<T> {
        T get();
    }

    private <T> T locked(Body<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void withLock(Runnable body) {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FakeKernel[" + locked(() -> world.namespaces.size()) + " namespaces]";
    }
}
