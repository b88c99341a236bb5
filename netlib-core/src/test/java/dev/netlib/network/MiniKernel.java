package dev.netlib.network;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.fake.nft.FakeFirewall;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.OperState;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.model.RouteSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.NetnsRef;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * A small in-memory kernel for the network layer's unit tests (until the project's FakeKernel is
 * merged): namespaces, bridge/veth/macvlan/dummy links, addresses, routes, sysctls, netlib's nft
 * table (FakeFirewall), with the kernel errors the network layer relies on and fault injection: the
 * n-th change (counting every change and firewall batch) fails with an errno.
 */
final class MiniKernel implements Backend {
    record Ref(String name0, long inode) implements NetnsRef {
        @Override
        public Optional<String> name() {
            return Optional.ofNullable(name0);
        }

        @Override
        public String describe() {
            return name0 != null ? "netns " + name0 : inode == 1 ? "root netns" : "anonymous netns " + inode;
        }

        @Override
        public String ipArgument() {
            return inode == 1 ? null : name0;
        }
    }

    static final class L {
        String name;
        int index;
        String kind;
        boolean up;
        String master;
        MacAddress mac;
        int mtu = 1500;
        int group;
        long peerNs;
        String peerName;
        String parent;

        String render() {
            return name + " " + kind + " up=" + up + " master=" + master + " mac=" + mac + " mtu=" + mtu + " group=" + group
                    + (peerName != null ? " peer=" + peerNs + "/" + peerName : "") + (parent != null ? " parent=" + parent : "");
        }
    }

    static final class Ns {
        String name;
        final Map<String, L> links = new TreeMap<>();
        final List<AddressInfo> addresses = new ArrayList<>();
        final List<RouteSpec> routes = new ArrayList<>();
        final Map<String, String> sysctls = new TreeMap<>(Map.of("net.ipv4.ip_forward", "0", "net.bridge.bridge-nf-call-iptables", "0"));
    }

    private final Map<Long, Ns> namespaces = new TreeMap<>();
    private final FakeFirewall firewall = new FakeFirewall();
    private final List<String> history = new ArrayList<>();
    private long nextInode = 2;
    private int nextIndex = 2;
    private int requests;
    private int failAt = -1;
    private Errno failErrno;

    MiniKernel() {
        namespaces.put(1L, newNs(null));
    }

    private Ns newNs(String name) {
        Ns ns = new Ns();
        ns.name = name;
        L lo = new L();
        lo.name = "lo";
        lo.index = 1;
        lo.kind = null;
        lo.mac = MacAddress.ZERO;
        lo.mtu = 65536;
        ns.links.put("lo", lo);
        return ns;
    }

    /** The {@code n}-th change from now on (1 = the next) fails with {@code errno}. */
    synchronized void failNth(int n, Errno errno) {
        failAt = requests + n;
        failErrno = errno;
    }

    synchronized int requestCount() {
        return requests;
    }

    synchronized List<String> history() {
        return List.copyOf(history);
    }

    /** Everything but counters, in a canonical text: equal snapshots mean equal kernels. */
    synchronized String snapshot() {
        StringBuilder sb = new StringBuilder();
        namespaces.forEach((inode, ns) -> {
            sb.append("ns ").append(inode).append(' ').append(ns.name).append('\n');
            ns.links.values().forEach(l -> sb.append("  link ").append(l.render()).append('\n'));
            ns.addresses.stream().map(a -> a.device() + " " + a.address()).sorted().forEach(a -> sb.append("  addr ").append(a).append('\n'));
            ns.routes.stream().map(RouteSpec::toString).sorted().forEach(r -> sb.append("  route ").append(r).append('\n'));
            sb.append("  sysctl ").append(ns.sysctls).append('\n');
            // as a set: netlib's rules do not depend on their order (drops and NAT, no accepts), and an
            // undone removal appends the rules again at the end of their chains
            sb.append("  nft ").append(firewall.rules(inode).stream().map(Object::toString).sorted().toList()).append('\n');
        });
        return sb.toString();
    }

    @Override
    public String name() {
        return "mini";
    }

    @Override
    public NetnsRef root() {
        return new Ref(null, 1);
    }

    @Override
    public synchronized NetnsRef createNamespace(String nameOrNull) {
        if (nameOrNull != null && namespaces.values().stream().anyMatch(n -> nameOrNull.equals(n.name))) {
            throw KernelException.of(Errno.EEXIST, "ip netns add " + nameOrNull, "Cannot create namespace file: File exists");
        }
        long inode = nextInode++;
        namespaces.put(inode, newNs(nameOrNull));
        return new Ref(nameOrNull, inode);
    }

    @Override
    public synchronized NetnsRef openNamespace(NamespaceLocator locator) {
        if (locator instanceof NamespaceLocator.ByName b) {
            for (var e : namespaces.entrySet()) {
                if (b.name().equals(e.getValue().name)) {
                    return new Ref(b.name(), e.getKey());
                }
            }
            throw KernelException.of(Errno.ENOENT, "open /var/run/netns/" + b.name(), "No such file or directory");
        }
        throw KernelException.of(Errno.ENOENT, "open " + locator, "not in the mini kernel");
    }

    @Override
    public synchronized void deleteNamespace(NetnsRef ref) {
        Ns ns = namespaces.remove(ref.inode());
        if (ns == null) {
            return;
        }
        // veths die with their namespace, and take their peers along
        for (L l : ns.links.values()) {
            if (l.peerName != null) {
                Ns other = namespaces.get(l.peerNs);
                if (other != null) {
                    removeLink(other, l.peerName);
                }
            }
        }
        firewall.apply(ref.inode(), firewall.rules(ref.inode()).stream().map(FirewallChange::delete).toList());
    }

    @Override
    public void release(NetnsRef ns) {}

    @Override
    public synchronized List<String> listNamespaces() {
        return namespaces.values().stream().map(n -> n.name).filter(n -> n != null).sorted().toList();
    }

    @Override
    public int namespaceId(NetnsRef in, NetnsRef target) {
        return -1;
    }

    @Override
    public <T> T run(NetnsRef ns, Callable<T> task) throws Exception {
        return task.call();
    }

    private Ns ns(NetnsRef ref) {
        Ns ns = namespaces.get(ref.inode());
        if (ns == null) {
            throw KernelException.of(Errno.ENOENT, "setns", ref.describe() + " is gone");
        }
        return ns;
    }

    private boolean fault() {
        requests++;
        return requests == failAt;
    }

    @Override
    public synchronized void apply(NetnsRef ref, List<? extends KernelChange> changes) {
        KernelException first = null;
        List<Integer> applied = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            KernelChange c = changes.get(i);
            history.add(c.command(ref.ipArgument()));
            try {
                if (fault()) {
                    throw KernelException.of(failErrno, c.command(), "injected fault");
                }
                applyOne(ns(ref), c);
                applied.add(i);
            } catch (KernelException e) {
                if (first == null) {
                    first = e;
                    first.inBatch(i, List.of());
                }
            }
        }
        if (first != null) {
            throw first.inBatch(first.batchIndex(), applied);
        }
    }

    private static KernelException err(Errno errno, KernelChange c, String msg) {
        return KernelException.of(errno, c.command(), msg);
    }

    private void applyOne(Ns ns, KernelChange c) {
        if (c instanceof CreateLink cl) {
            LinkAttributes a = cl.attributes();
            Ns home = a.netns() != null ? ns(a.netns()) : ns;
            if (home.links.containsKey(cl.name())) {
                throw err(Errno.EEXIST, c, "File exists");
            }
            L l = link(cl.name(), cl.kind().kind(), a, home);
            if (cl.kind() instanceof VethSpec v) {
                Ns peerHome = v.peer().netns() != null ? ns(v.peer().netns()) : home;
                if (peerHome.links.containsKey(v.peerName()) || peerHome == home && v.peerName().equals(cl.name())) {
                    throw err(Errno.EEXIST, c, "File exists");
                }
                L p = link(v.peerName(), "veth", v.peer(), peerHome);
                l.peerNs = inode(peerHome);
                l.peerName = p.name;
                p.peerNs = inode(home);
                p.peerName = l.name;
                peerHome.links.put(p.name, p);
            } else if (cl.kind() instanceof MacvlanSpec m) {
                if (!ns.links.containsKey(m.parent())) {
                    throw err(Errno.ENODEV, c, "parent not found");
                }
                l.parent = m.parent();
            } else if (!(cl.kind() instanceof BridgeSpec || cl.kind() instanceof DummySpec)) {
                throw err(Errno.EOPNOTSUPP, c, "kind not in the mini kernel");
            }
            home.links.put(l.name, l);
        } else if (c instanceof SetLink s) {
            L l = ns.links.get(s.name());
            if (l == null) {
                throw err(Errno.ENODEV, c, "Cannot find device");
            }
            LinkAttributes a = s.changes();
            if (a.master() != null && !ns.links.containsKey(a.master())) {
                throw err(Errno.ENODEV, c, "master not found");
            }
            if (a.up() != null) {
                l.up = a.up();
            }
            if (a.master() != null) {
                l.master = a.master();
            }
            if (s.noMaster()) {
                l.master = null;
            }
            if (a.mtu() != null) {
                l.mtu = a.mtu();
            }
            if (a.mac() != null) {
                l.mac = a.mac();
            }
            if (a.netns() != null || s.newName() != null) {
                throw err(Errno.EOPNOTSUPP, c, "moves and renames are not in the mini kernel");
            }
        } else if (c instanceof DeleteLink d) {
            if (!ns.links.containsKey(d.name()) || "lo".equals(d.name())) {
                throw err(Errno.ENODEV, c, "Cannot find device");
            }
            L l = ns.links.get(d.name());
            removeLink(ns, d.name());
            if (l.peerName != null && namespaces.containsKey(l.peerNs)) {
                removeLink(namespaces.get(l.peerNs), l.peerName);
            }
        } else if (c instanceof DeleteLinkGroup g) {
            for (L l : List.copyOf(ns.links.values())) {
                if (l.group == g.group()) {
                    applyOne(ns, new DeleteLink(l.name));
                }
            }
        } else if (c instanceof AddAddress a) {
            L l = ns.links.get(a.device());
            if (l == null) {
                throw err(Errno.ENODEV, c, "Cannot find device");
            }
            if (ns.addresses.stream().anyMatch(x -> x.device().equals(a.device()) && x.address().equals(a.address()))) {
                throw err(Errno.EEXIST, c, "File exists");
            }
            ns.addresses.add(new AddressInfo(l.index, a.device(), a.address(), RouteScope.UNIVERSE));
        } else if (c instanceof DeleteAddress a) {
            if (!ns.addresses.removeIf(x -> x.device().equals(a.device()) && x.address().equals(a.address()))) {
                throw err(Errno.EADDRNOTAVAIL, c, "Cannot assign requested address");
            }
        } else if (c instanceof AddRoute r) {
            RouteSpec s = r.route();
            if (s.gateway() != null && ns.addresses.stream().noneMatch(a -> a.address().network().contains(s.gateway())
                    && ns.links.get(a.device()).up)) {
                throw err(Errno.ENETUNREACH, c, "Nexthop has invalid gateway");
            }
            boolean exists = ns.routes.stream().anyMatch(x -> x.destination().equals(s.destination()));
            if (exists && !r.replace()) {
                throw err(Errno.EEXIST, c, "File exists");
            }
            ns.routes.removeIf(x -> x.destination().equals(s.destination()));
            ns.routes.add(s);
        } else if (c instanceof DeleteRoute r) {
            if (!ns.routes.removeIf(x -> x.destination().equals(r.route().destination()))) {
                throw err(Errno.ESRCH, c, "No such process");
            }
        } else {
            throw err(Errno.EOPNOTSUPP, c, "not in the mini kernel");
        }
    }

    private long inode(Ns ns) {
        return namespaces.entrySet().stream().filter(e -> e.getValue() == ns).findFirst().orElseThrow().getKey();
    }

    private L link(String name, String kind, LinkAttributes a, Ns home) {
        L l = new L();
        l.name = name;
        l.kind = kind;
        l.index = nextIndex++;
        l.up = Boolean.TRUE.equals(a.up());
        if (a.master() != null) {
            if (!home.links.containsKey(a.master())) {
                throw KernelException.of(Errno.ENODEV, "ip link add " + name + " master " + a.master(), "master not found");
            }
            l.master = a.master();
        }
        l.mac = a.mac() != null ? a.mac() : MacAddress.randomLocal();
        l.mtu = a.mtu() != null ? a.mtu() : 1500;
        l.group = a.group() != null ? a.group() : 0;
        return l;
    }

    private static void removeLink(Ns ns, String name) {
        ns.links.remove(name);
        ns.addresses.removeIf(a -> a.device().equals(name));
        ns.routes.removeIf(r -> name.equals(r.device()) || r.gateway() != null
                && ns.addresses.stream().noneMatch(a -> a.address().network().contains(r.gateway())));
        ns.links.values().forEach(l -> {
            if (name.equals(l.master)) {
                l.master = null;
            }
        });
    }

    @Override
    public synchronized List<LinkInfo> links(NetnsRef ref) {
        Ns ns = ns(ref);
        return ns.links.values().stream().map(l -> info(ns, l)).toList();
    }

    private LinkInfo info(Ns ns, L l) {
        int masterIndex = l.master != null ? ns.links.get(l.master).index : 0;
        return new LinkInfo(l.index, l.name, l.kind, l.mtu, 68, 65535, l.mac, l.up, l.up ? OperState.UP : OperState.DOWN, masterIndex,
                l.master, 0, -1, l.group, 1000, null, null);
    }

    @Override
    public synchronized Optional<LinkInfo> link(NetnsRef ref, String name) {
        Ns ns = ns(ref);
        return Optional.ofNullable(ns.links.get(name)).map(l -> info(ns, l));
    }

    @Override
    public synchronized List<AddressInfo> addresses(NetnsRef ref) {
        return List.copyOf(ns(ref).addresses);
    }

    @Override
    public synchronized List<RouteInfo> routes(NetnsRef ref) {
        Ns ns = ns(ref);
        List<RouteInfo> out = new ArrayList<>();
        for (RouteSpec r : ns.routes) {
            out.add(new RouteInfo(r.destination(), r.gateway(), r.device(), 0, RouteScope.UNIVERSE, 254, 0, 3, 1));
        }
        return out;
    }

    @Override
    public List<NeighborInfo> neighbors(NetnsRef ns) {
        return List.of();
    }

    @Override
    public List<FdbInfo> fdb(NetnsRef ns) {
        return List.of();
    }

    @Override
    public synchronized String readSysctl(NetnsRef ref, String key) {
        return ns(ref).sysctls.getOrDefault(key, "0");
    }

    @Override
    public synchronized void writeSysctl(NetnsRef ref, String key, String value) {
        history.add("ip netns exec " + ref.ipArgument() + " sysctl -w " + key + "=" + value);
        if (fault()) {
            throw KernelException.of(failErrno, "sysctl -w " + key, "injected fault");
        }
        ns(ref).sysctls.put(key, value);
    }

    @Override
    public synchronized void applyFirewall(NetnsRef ref, List<FirewallChange> changes) {
        history.add("nft -f - (" + changes.size() + " changes) in " + ref.describe());
        if (fault()) {
            throw KernelException.of(failErrno, "nft -f -", "injected fault");
        }
        ns(ref);
        firewall.apply(ref.inode(), changes);
    }

    @Override
    public synchronized List<FirewallRule> firewallRules(NetnsRef ref) {
        return firewall.rules(ref.inode());
    }

    @Override
    public void close() {}

    static IpPrefix p(String s) {
        return IpPrefix.parse(s);
    }
}
