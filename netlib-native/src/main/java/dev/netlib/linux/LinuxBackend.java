package dev.netlib.linux;

import dev.netlib.error.BusyException;
import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.NetlibException;
import dev.netlib.linux.internal.netlink.NetlinkConstants;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.linux.internal.netns.LinuxNetns;
import dev.netlib.linux.internal.netns.NetnsManager;
import dev.netlib.linux.internal.nft.NftFirewall;
import dev.netlib.linux.internal.nft.NftFirewalls;
import dev.netlib.linux.internal.rtnl.LinkEncoder;
import dev.netlib.linux.internal.rtnl.NamespaceFds;
import dev.netlib.linux.internal.rtnl.PeerIndexSink;
import dev.netlib.linux.internal.rtnl.Rtnl;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux backend: rtnetlink over AF_NETLINK sockets and namespaces through setns, unshare and
 * mount, all via jnr-ffi. Found by {@link java.util.ServiceLoader} (so {@code Netlib.open()} uses
 * it when netlib-native is on the class path); bound to the network namespace of the thread that
 * constructs it.
 *
 * <p>Each namespace ref gets one NETLINK_ROUTE socket, opened inside that namespace once (on a
 * thread netlib owns) and reused for every request there; it is closed when the ref is released
 * or deleted, or the backend is closed. netlib's nf_tables rules go through one NETLINK_NETFILTER
 * socket per namespace ({@link NftFirewalls}), opened the same way on first use. Thread-safe.
 */
public final class LinuxBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxBackend.class);
    /** include/net/flow.h LOOPBACK_IFINDEX. */
    private static final int LOOPBACK_IFINDEX = 1;

    private final NetnsManager netns;
    private final ConcurrentHashMap<LinuxNetns, Rtnl> rtnls = new ConcurrentHashMap<>();
    private final NftFirewalls firewalls;
    private volatile boolean closed;
    /**
     * The refs whose fds the current {@link #apply} put into messages (IFLA_NET_NS_FD): pinned
     * until the call returns, so a concurrent release cannot close them under it.
     */
    private final ThreadLocal<List<LinuxNetns>> pinnedByApply = new ThreadLocal<>();

    // The tasks and callbacks below are classes, not lambdas, and each is one object shared by
    // every site that uses it: a lambda site costs 0.7-2.4 ms the first time it runs in a fresh JVM
    // (its class is spun, and method-handle forms for a capturing one), a small class ~0.4 ms to
    // load, and all of these run during a program's first requests (issue 13's cold start).

    /** Opens a NETLINK_ROUTE socket in the namespace of the thread that runs it. */
    private static final Callable<NetlinkSocket> OPEN_ROUTE = new Callable<>() {
        @Override
        public NetlinkSocket call() {
            return NetlinkSocket.open(NetlinkConstants.NETLINK_ROUTE);
        }
    };

    /**
     * Opens the nf_tables firewall of {@code ns}, run by the namespace executor on a thread it has
     * found inside {@code ns} (so {@link NftFirewall#openIn} reads no inode again).
     */
    private static final class OpenNft implements Callable<NftFirewall> {
        private final LinuxNetns ns;

        OpenNft(LinuxNetns ns) {
            this.ns = ns;
        }

        @Override
        public NftFirewall call() {
            return NftFirewall.openIn(ns);
        }
    }

    /** Opens the backend in the calling thread's network namespace (the ServiceLoader constructor). */
    public LinuxBackend() {
        this.netns = new NetnsManager();
        this.firewalls = new NftFirewalls(new Function<NetnsRef, NftFirewall>() {
            @Override
            public NftFirewall apply(NetnsRef ref) {
                LinuxNetns ns = own(ref);
                OpenNft open = new OpenNft(ns);
                return ns == netns.root() ? netns.runInternalWhereCallerIs(ns, open) : netns.runInternal(ns, open);
            }
        });
        LOG.debug("linux backend opened in {}", netns.root().describe());
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public LinuxNetns root() {
        return netns.root();
    }

    /** The namespace layer, for code that needs more than the SPI (e.g. other netlink protocols). */
    public NetnsManager namespaces() {
        return netns;
    }

    // ---- namespaces -------------------------------------------------------------------------

    /** Equivalent to: {@code ip netns add NAME} (or {@code unshare --net} for {@code null}). */
    @Override
    public NetnsRef createNamespace(String nameOrNull) {
        ensureOpen();
        // The creating thread is inside the new namespace anyway: open its NETLINK_ROUTE socket
        // there, so the first request needs no worker thread of its own.
        NetnsManager.Created<NetlinkSocket> c = netns.create(nameOrNull, OPEN_ROUTE);
        Rtnl r = newRtnl(c.ns(), c.inside());
        // The loopback device registers first in every new namespace (loopback_net_init), so it is 1.
        r.learnLoopbackIndex(LOOPBACK_IFINDEX);
        rtnls.put(c.ns(), r);
        if (closed) {
            closeRtnl(c.ns());
            netns.release(c.ns());
            throw new NetlibException("the linux backend was closed");
        }
        return c.ns();
    }

    /** Equivalent to: what {@code ip netns exec NAME} / {@code nsenter --net=PATH} open. */
    @Override
    public NetnsRef openNamespace(NamespaceLocator locator) {
        ensureOpen();
        return netns.open(locator);
    }

    /** Equivalent to: {@code ip netns del NAME}. */
    @Override
    public void deleteNamespace(NetnsRef ns) {
        LinuxNetns n = own(ns);
        if (n == netns.root()) {
            throw new BusyException(Errno.EBUSY, "ip netns del " + n.describe(), "refusing to delete the namespace the backend was opened in");
        }
        closeRtnl(n);
        firewalls.release(n);
        try {
            netns.delete(n);
        } finally {
            forgetKnownIndexesEverywhere();
        }
    }

    /** Equivalent to: {@code ip netns del NAME} (unmount and unlink, without opening the namespace). */
    @Override
    public void deleteNamespace(String name) {
        ensureOpen();
        try {
            netns.delete(name);
        } finally {
            forgetKnownIndexesEverywhere();
        }
    }

    @Override
    public void release(NetnsRef ns) {
        LinuxNetns n = own(ns);
        if (n == netns.root()) {
            return; // kept until close()
        }
        closeRtnl(n);
        firewalls.release(n);
        netns.release(n);
        // this may have been its last holder, whatever its kind: an anonymous one's only fd, or a
        // second handle on a named one whose name was deleted while it held it open
        forgetKnownIndexesEverywhere();
    }

    /**
     * Every session forgets the indexes it knows, but lo's and the bridges' (see
     * {@link Rtnl#forgetKnownIndexes}). For a namespace that may die: its death deletes
     * its veths and so their peers in other namespaces (cleanup_net -> default_device_exit_batch ->
     * veth_dellink), and the macvlans and vlans over its devices wherever they are; a link moved
     * into a namespace keeps its index if it is free there, so a peer's old index can come to mean
     * another link. The namespace dies some time after this (the kernel's cleanup_net work); a name
     * looked up again before then is known by its old index until a request on it fails, as after
     * another process's delete (see KnownIndexes).
     */
    private void forgetKnownIndexesEverywhere() {
        for (Rtnl r : rtnls.values()) {
            r.forgetKnownIndexes();
        }
    }

    /** Equivalent to: {@code ip netns list}. */
    @Override
    public List<String> listNamespaces() {
        return netns.list();
    }

    /** Equivalent to: {@code ip -n IN netns list-id} for one target. */
    @Override
    public int namespaceId(NetnsRef in, NetnsRef target) {
        Rtnl r = rtnl(in);
        LinuxNetns t = own(target);
        int fd = t.pin();
        try {
            return r.namespaceId(fd);
        } finally {
            t.unpin();
        }
    }

    /** Equivalent to: {@code ip netns exec NAME ...} for code. */
    @Override
    public <T> T run(NetnsRef ns, Callable<T> task) throws Exception {
        ensureOpen();
        return netns.run(own(ns), task);
    }

    // ---- changes and state ------------------------------------------------------------------

    /** Equivalent to: {@code ip -n NS -batch -} with each change's command. */
    @Override
    public void apply(NetnsRef ns, List<? extends KernelChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Rtnl r = rtnl(ns);
        // A veth peer born in another namespace with an addrgenmode: the kernel takes IFLA_AF_SPEC
        // neither in the create request nor for the peer, and only from inside the peer's namespace,
        // so the peer is created down and gets "addrgenmode, then up" there right after.
        List<KernelChange> here = new ArrayList<>(changes.size());
        Map<Integer, SetLink> peerFollowUps = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            KernelChange c = changes.get(i);
            if (c instanceof CreateLink create) {
                Optional<SetLink> followUp = LinkEncoder.peerFollowUp(create);
                if (followUp.isPresent()) {
                    peerFollowUps.put(i, followUp.get());
                    c = LinkEncoder.withoutPeerFollowUp(create);
                }
            }
            here.add(c);
        }
        List<LinuxNetns> outer = pinnedByApply.get();
        List<LinuxNetns> pins = new ArrayList<>();
        pinnedByApply.set(pins);
        KernelException failure = null;
        try {
            r.apply(here);
        } catch (KernelException e) {
            failure = e;
        } finally {
            pinnedByApply.set(outer);
            for (LinuxNetns pinned : pins) {
                pinned.unpin();
            }
        }
        if (!peerFollowUps.isEmpty()) {
            failure = applyPeerFollowUps(changes, peerFollowUps, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Applies each created veth's follow-up in its peer's namespace (for the creations that took
     * effect); a follow-up that fails is reported as a failure of its CreateLink, after the first
     * failure of the main batch if there was one.
     */
    private KernelException applyPeerFollowUps(List<? extends KernelChange> changes, Map<Integer, SetLink> followUps,
            KernelException failure) {
        List<Integer> applied = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (failure == null || failure.appliedInBatch().contains(i)) {
                applied.add(i);
            }
        }
        KernelException result = failure;
        for (Map.Entry<Integer, SetLink> e : followUps.entrySet()) {
            int index = e.getKey();
            if (!applied.contains(index)) {
                continue;
            }
            VethSpec veth = (VethSpec) ((CreateLink) changes.get(index)).kind();
            try {
                rtnl(veth.peer().netns()).apply(List.of(e.getValue()));
            } catch (KernelException ex) {
                if (result == null) {
                    List<Integer> ok = new ArrayList<>(applied);
                    ok.remove(Integer.valueOf(index));
                    result = ex.inBatch(index, ok);
                }
            }
        }
        return result;
    }

    /** Equivalent to: {@code ip -n NS -d link show}. */
    @Override
    public List<LinkInfo> links(NetnsRef ns) {
        return rtnl(ns).links();
    }

    /** Equivalent to: {@code ip -n NS -d link show dev NAME}. */
    @Override
    public Optional<LinkInfo> link(NetnsRef ns, String name) {
        return rtnl(ns).link(name);
    }

    /** Equivalent to: {@code ip -n NS addr show}. */
    @Override
    public List<AddressInfo> addresses(NetnsRef ns) {
        return rtnl(ns).addresses();
    }

    /** Equivalent to: {@code ip -n NS route show table all} (without the local table). */
    @Override
    public List<RouteInfo> routes(NetnsRef ns) {
        return rtnl(ns).routes();
    }

    /** Equivalent to: {@code ip -n NS neigh show}. */
    @Override
    public List<NeighborInfo> neighbors(NetnsRef ns) {
        return rtnl(ns).neighbors();
    }

    /** Equivalent to: {@code bridge -n NS fdb show}. */
    @Override
    public List<FdbInfo> fdb(NetnsRef ns) {
        return rtnl(ns).fdb();
    }

    /** Equivalent to: {@code ip netns exec NS sysctl -n KEY}. */
    @Override
    public String readSysctl(NetnsRef ns, String key) {
        ensureOpen();
        try {
            return netns.readSysctl(own(ns), key);
        } catch (KernelException e) {
            throw e.withOperation(Commands.readSysctl(ns, key));
        }
    }

    /** Equivalent to: {@code ip netns exec NS sysctl -w KEY=VALUE}. */
    @Override
    public void writeSysctl(NetnsRef ns, String key, String value) {
        ensureOpen();
        try {
            netns.writeSysctl(own(ns), key, value);
        } catch (KernelException e) {
            throw e.withOperation(Commands.sysctl(ns, key, value)); // named as FakeKernel names it
        }
    }

    // ---- nf_tables ---------------------------------------------------------------------------

    /** Equivalent to: {@code nft -f -} with the changes' commands, as one atomic batch (table {@code ip netlib}). */
    @Override
    public List<String> applyFirewall(NetnsRef ns, List<FirewallChange> changes) {
        ensureOpen();
        return firewalls.apply(own(ns), changes);
    }

    /** Equivalent to: {@code nft -a list table ip netlib}. */
    @Override
    public List<FirewallRule> firewallRules(NetnsRef ns) {
        ensureOpen();
        return firewalls.rules(own(ns));
    }

    /** Equivalent to: {@code nft get element ip netlib published '{ tcp . 8080 }'}, one per element of the rules. */
    @Override
    public List<FirewallRule> firewallRulesHolding(NetnsRef ns, List<FirewallRule> rules) {
        ensureOpen();
        return firewalls.holding(own(ns), rules);
    }

    // ---- lifecycle --------------------------------------------------------------------------

    /** Closes every netlink socket and namespace fd the backend holds; kernel objects stay. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LinuxNetns n : new ArrayList<>(rtnls.keySet())) {
            closeRtnl(n);
        }
        firewalls.close();
        netns.close();
    }

    /** Netlink sockets open right now (for tests). */
    int openSockets() {
        return rtnls.size();
    }

    /** The rtnetlink session of {@code ns}: its socket is opened inside the namespace on first use. */
    Rtnl rtnl(NetnsRef ref) {
        ensureOpen();
        LinuxNetns ns = own(ref);
        Rtnl r = rtnls.get(ns);
        if (r != null) {
            return r;
        }
        if (ns.isReleased()) {
            throw ns.releasedError();
        }
        // Opened outside any lock (it waits for a worker inside the namespace); a racing opener's
        // socket is closed again. The root's is opened by the calling thread when that thread is in
        // it (the usual case: no worker needed for the host's first request).
        NetlinkSocket s = ns == netns.root()
                ? netns.runInternalWhereCallerIs(ns, OPEN_ROUTE)
                : netns.runInternal(ns, OPEN_ROUTE);
        Rtnl mine = newRtnl(ns, s);
        r = rtnls.putIfAbsent(ns, mine);
        if (r != null) {
            mine.close();
        } else {
            r = mine;
        }
        if (ns.isReleased() || closed) {
            // released while the socket was being opened: do not keep it
            closeRtnl(ns);
            throw ns.releasedError();
        }
        return r;
    }

    private Rtnl newRtnl(NetnsRef self, NetlinkSocket s) {
        SessionHooks hooks = new SessionHooks(self);
        return new Rtnl(s, hooks, hooks, hooks);
    }

    /**
     * What the session of namespace {@code self} asks of this backend: the fds of other namespaces
     * for its messages; the name of a failed change, as the command in its namespace (exactly as
     * FakeKernel names it); and, for a veth peer it created in another namespace, telling that
     * namespace's session (if open) the index the creation asked for, so addressing the peer there
     * needs no lookup. One class rather than three lambdas (see OPEN_ROUTE).
     */
    private final class SessionHooks implements NamespaceFds, Function<KernelChange, String>, PeerIndexSink {
        private final NetnsRef self;

        SessionHooks(NetnsRef self) {
            this.self = self;
        }

        @Override
        public int fdOf(NetnsRef ref) {
            return LinuxBackend.this.fdOf(ref);
        }

        @Override
        public String apply(KernelChange change) {
            return Commands.of(self, change);
        }

        @Override
        public void learned(NetnsRef ns, String name, int index) {
            Rtnl there = ns instanceof LinuxNetns n ? rtnls.get(n) : null;
            if (there != null) {
                there.learnIndex(name, index);
            }
        }

        @Override
        public void linksMayBeGoneElsewhere() {
            forgetKnownIndexesEverywhere();
        }
    }

    private int fdOf(NetnsRef ref) {
        LinuxNetns n = own(ref);
        List<LinuxNetns> pins = pinnedByApply.get();
        if (pins == null) {
            return n.fd();
        }
        int fd = n.pin();
        pins.add(n);
        return fd;
    }

    private void closeRtnl(LinuxNetns ns) {
        Rtnl r = rtnls.remove(ns);
        if (r != null) {
            r.close();
        }
    }

    private LinuxNetns own(NetnsRef ref) {
        if (ref instanceof LinuxNetns n && n.manager() == netns) {
            return n;
        }
        throw new KernelException(Errno.EBADF, "setns " + ref, "not a namespace reference of this backend (" + name() + ")");
    }

    private void ensureOpen() {
        if (closed) {
            throw new NetlibException("the linux backend was closed");
        }
    }

    @Override
    public String toString() {
        return "LinuxBackend[" + netns.root().describe() + "]";
    }
}
