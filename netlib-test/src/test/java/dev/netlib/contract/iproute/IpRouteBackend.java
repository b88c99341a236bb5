package dev.netlib.contract.iproute;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.BridgePortInfo;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.OperState;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TEST-ONLY backend that drives the real kernel through iproute2 commands, so the contract
 * suite's assumptions can be checked against Linux before the netlink backend exists. It cannot
 * run Java code inside a namespace, and errnos of errors that iproute2 prints as extended-ack
 * text are recovered from a table of known kernel messages. Never use it for anything else.
 */
final class IpRouteBackend implements Backend {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ANON_PREFIX = "nlt-anon-";

    /** A namespace: its /var/run/netns name (hidden for anonymous ones), or null for the root. */
    record Ref(String realName, boolean anonymous, long inode) implements NetnsRef {
        @Override
        public Optional<String> name() {
            return anonymous ? Optional.empty() : Optional.ofNullable(realName);
        }

        @Override
        public String describe() {
            return realName == null ? "root netns" : anonymous ? "anonymous netns " + inode : "netns " + realName;
        }

        @Override
        public boolean isRoot() {
            return realName == null; // the namespace this JVM runs in: commands without -n
        }
    }

    private final Ref root = new Ref(null, false, inode(Path.of("/proc/self/ns/net")));
    /**
     * The hidden /var/run/netns name of each anonymous namespace, by the label netlib's commands
     * give it ({@code anon-INODE}, Commands.label): how a rendered command is made runnable.
     */
    private final Map<String, String> anonymous = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "iproute2";
    }

    @Override
    public NetnsRef root() {
        return root;
    }

    // ---- namespaces -------------------------------------------------------------------------

    @Override
    public NetnsRef createNamespace(String nameOrNull) {
        String real = nameOrNull != null ? nameOrNull : ANON_PREFIX + HexFormat.of().formatHex(RANDOM.generateSeed(4));
        run("ip netns add " + real, List.of("ip", "netns", "add", real));
        Ref ref = new Ref(real, nameOrNull == null, inode(Path.of("/var/run/netns", real)));
        if (ref.anonymous()) {
            anonymous.put(Commands.label(ref), real);
        }
        return ref;
    }

    @Override
    public NetnsRef openNamespace(NamespaceLocator locator) {
        String name = null;
        if (locator instanceof NamespaceLocator.ByName n) {
            name = n.name();
        } else if (locator instanceof NamespaceLocator.ByPath p) {
            Path path = p.path().normalize();
            if (path.getParent() != null && List.of("/var/run/netns", "/run/netns").contains(path.getParent().toString())) {
                name = path.getFileName().toString();
            }
        }
        Path file = Path.of("/var/run/netns", name == null ? "-" : name);
        if (name == null || !Files.exists(file)) {
            throw KernelException.of(Errno.ENOENT, "open " + locator, null);
        }
        return new Ref(name, false, inode(file));
    }

    @Override
    public void deleteNamespace(NetnsRef ns) {
        Ref r = (Ref) ns;
        if (r.realName() != null && Files.exists(Path.of("/var/run/netns", r.realName()))) {
            run("ip netns del " + r.realName(), List.of("ip", "netns", "del", r.realName()));
        }
        anonymous.values().remove(r.realName());
    }

    @Override
    public void release(NetnsRef ns) {
        if (ns instanceof Ref r && r.anonymous()) {
            deleteNamespace(ns);
        }
    }

    @Override
    public List<String> listNamespaces() {
        String out = run("ip netns list", List.of("ip", "netns", "list"));
        return out.lines().map(l -> l.split(" ")[0]).filter(n -> !n.isEmpty() && !n.startsWith(ANON_PREFIX)).sorted().toList();
    }

    @Override
    public int namespaceId(NetnsRef in, NetnsRef target) {
        String out = run("ip netns list-id", ip(in, "netns", "list-id"));
        for (String line : out.lines().toList()) {
            String name = ((Ref) target).realName();
            if (name != null && line.endsWith("iproute2 netns name: " + name + ")")) {
                return Integer.parseInt(line.split(" ")[1]);
            }
        }
        return -1;
    }

    @Override
    public <T> T run(NetnsRef ns, Callable<T> task) {
        throw new org.opentest4j.TestAbortedException("iproute2 cannot run Java code inside a namespace");
    }

    // ---- changes ----------------------------------------------------------------------------

    @Override
    public void apply(NetnsRef ns, List<? extends KernelChange> changes) {
        KernelException first = null;
        int failed = -1;
        List<Integer> applied = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            try {
                applyOne((Ref) ns, changes.get(i));
                applied.add(i);
            } catch (KernelException e) {
                if (first == null) {
                    // named by the whole change, as netlib renders it, not by the command of its part that failed
                    first = e.withOperation(Commands.of(ns, changes.get(i)));
                    failed = i;
                }
            }
        }
        if (first != null) {
            throw first.inBatch(failed, applied);
        }
    }

    /**
     * What a netlink backend must do too: peer up/master, addrgenmode and bridge port flags go in
     * follow-up requests (the kernel applies bridge_slave data only to an existing port).
     */
    private void applyOne(Ref ns, KernelChange change) {
        if (change instanceof CreateLink c) {
            LinkAttributes a = c.attributes();
            boolean lateUp = a.addrGenMode() != null && Boolean.TRUE.equals(a.up());
            LinkAttributes create = a.withAddrGenMode(null).withUp(lateUp ? null : a.up()).withHairpin(null).withLearning(null);
            LinkKindSpec kind = c.kind();
            LinkAttributes peer = null;
            if (kind instanceof VethSpec v) {
                peer = v.peer();
                kind = new VethSpec(v.peerName(), peer.withUp(null).withMaster(null).withAddrGenMode(null));
            }
            exec(ns, new CreateLink(c.name(), create, kind));
            Ref home = a.netns() != null ? (Ref) a.netns() : ns;
            if (a.hasBridgePortFlags()) {
                exec(home, SetLink.of(c.name(), LinkAttributes.NONE.withHairpin(a.hairpin()).withLearning(a.learning())));
            }
            if (a.addrGenMode() != null) {
                exec(home, SetLink.of(c.name(), LinkAttributes.NONE.withAddrGenMode(a.addrGenMode())));
            }
            if (lateUp) {
                exec(home, SetLink.of(c.name(), LinkAttributes.NONE.withUp(true)));
            }
            if (peer != null) {
                Ref peerHome = peer.netns() != null ? (Ref) peer.netns() : ns;
                String peerName = ((VethSpec) c.kind()).peerName();
                if (peer.addrGenMode() != null) {
                    exec(peerHome, SetLink.of(peerName, LinkAttributes.NONE.withAddrGenMode(peer.addrGenMode())));
                }
                if (peer.master() != null) {
                    exec(peerHome, SetLink.of(peerName, LinkAttributes.NONE.withMaster(peer.master())));
                }
                if (Boolean.TRUE.equals(peer.up())) {
                    exec(peerHome, SetLink.of(peerName, LinkAttributes.NONE.withUp(true)));
                }
            }
            return;
        }
        exec(ns, change);
    }

    /** Runs the change as netlib renders it, an anonymous namespace's label replaced by its hidden name. */
    private void exec(Ref ns, KernelChange change) {
        String line = Commands.of(ns, change);
        run(line, Arrays.stream(line.split(" ")).map(word -> anonymous.getOrDefault(word, word)).toList());
    }

    // ---- state ------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object json) {
        return (List<Map<String, Object>>) json;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return json == null ? Map.of() : (Map<String, Object>) json;
    }

    private static int num(Object o, int dflt) {
        return o instanceof Number n ? n.intValue() : dflt;
    }

    private List<Map<String, Object>> rawLinks(NetnsRef ns) {
        return list(MiniJson.parse(run("ip -j -d link show", ip(ns, "-j", "-d", "link", "show"))));
    }

    private static int indexOf(List<Map<String, Object>> links, Object name) {
        for (Map<String, Object> l : links) {
            if (l.get("ifname").equals(name)) {
                return num(l.get("ifindex"), 0);
            }
        }
        return 0;
    }

    @Override
    public List<LinkInfo> links(NetnsRef ns) {
        List<Map<String, Object>> raw = rawLinks(ns);
        List<LinkInfo> out = new ArrayList<>();
        for (Map<String, Object> l : raw) {
            Map<String, Object> li = map(l.get("linkinfo"));
            String kind = (String) li.get("info_kind");
            Map<String, Object> data = map(li.get("info_data"));
            int linkIndex = l.containsKey("link_index") ? num(l.get("link_index"), 0)
                    : l.get("link") != null ? indexOf(raw, l.get("link")) : 0;
            String master = (String) l.get("master");
            Object group = l.get("group");
            String peerName = l.get("link_index") == null ? (String) l.get("link") : null;
            LinkKindSpec details = switch (kind == null ? "" : kind) {
                case "bridge" -> new BridgeSpec(num(data.get("stp_state"), 0) != 0, num(data.get("vlan_filtering"), 0) != 0);
                case "veth" -> new VethSpec(peerName, LinkAttributes.NONE);
                case "dummy" -> new DummySpec();
                case "macvlan" -> new MacvlanSpec(peerName, MacvlanMode.valueOf(((String) data.get("mode")).toUpperCase()));
                case "vxlan" -> new VxlanSpec(num(data.get("id"), 0), addr(data.get("local")), addr(data.get("remote")),
                        addr(data.get("group")), num(data.get("port"), 0), (String) data.get("link"),
                        (Boolean) data.get("learning"), (Boolean) data.get("proxy"), (Boolean) data.get("l2miss"),
                        (Boolean) data.get("l3miss"), num(data.get("ttl"), 0));
                default -> null;
            };
            String agm = (String) l.get("inet6_addr_gen_mode");
            // bridge_slave data: printed by ip's bridge_slave_print_opt() from IFLA_INFO_SLAVE_DATA
            Map<String, Object> port = map(li.get("info_slave_data"));
            BridgePortInfo bridgePort = "bridge".equals(li.get("info_slave_kind"))
                    ? new BridgePortInfo(Boolean.TRUE.equals(port.get("hairpin")), Boolean.TRUE.equals(port.get("learning")))
                    : null;
            out.add(new LinkInfo(num(l.get("ifindex"), 0), (String) l.get("ifname"), kind, num(l.get("mtu"), 0),
                    num(l.get("min_mtu"), 0), num(l.get("max_mtu"), 0), MacAddress.parse((String) l.get("address")),
                    ((List<Object>) (List<?>) l.get("flags")).contains("UP"), OperState.valueOf((String) l.get("operstate")),
                    master == null ? 0 : indexOf(raw, master), master, linkIndex, num(l.get("link_netnsid"), -1),
                    group == null || "default".equals(group) ? 0 : Integer.parseInt(group.toString()),
                    num(l.get("txqlen"), 0),
                    agm == null ? Ipv6AddrGenMode.EUI64 : Arrays.stream(Ipv6AddrGenMode.values()).filter(m -> m.word().equals(agm))
                            .findFirst().orElse(Ipv6AddrGenMode.EUI64),
                    details, bridgePort));
        }
        return out;
    }

    private static java.net.InetAddress addr(Object o) {
        return o == null ? null : IpAddresses.parse((String) o);
    }

    @Override
    public Optional<LinkInfo> link(NetnsRef ns, String name) {
        return links(ns).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    @Override
    public List<AddressInfo> addresses(NetnsRef ns) {
        List<AddressInfo> out = new ArrayList<>();
        for (Map<String, Object> l : list(MiniJson.parse(run("ip -j addr show", ip(ns, "-j", "addr", "show"))))) {
            for (Map<String, Object> a : list(l.get("addr_info"))) {
                IpPrefix p = IpPrefix.of(IpAddresses.parse((String) a.get("local")), num(a.get("prefixlen"), 0));
                out.add(new AddressInfo(num(l.get("ifindex"), 0), (String) l.get("ifname"), p, scope((String) a.get("scope"))));
            }
        }
        return out;
    }

    private static RouteScope scope(String word) {
        if (word == null) {
            return RouteScope.UNIVERSE;
        }
        return Arrays.stream(RouteScope.values()).filter(s -> s.word().equals(word)).findFirst().orElse(RouteScope.UNIVERSE);
    }

    @Override
    public List<RouteInfo> routes(NetnsRef ns) {
        List<Map<String, Object>> raw = rawLinks(ns);
        List<RouteInfo> out = new ArrayList<>();
        for (String family : List.of("-4", "-6")) {
            for (Map<String, Object> r : list(MiniJson.parse(run("ip route show", ip(ns, "-j", family, "route", "show", "table", "all"))))) {
                Object table = r.get("table");
                if ("local".equals(table) || r.get("type") != null && !"unicast".equals(r.get("type"))) {
                    continue;
                }
                String dst = (String) r.get("dst");
                IpPrefix d = "default".equals(dst) ? IpPrefix.parse(family.equals("-4") ? "0.0.0.0/0" : "::/0") : IpPrefix.parse(dst);
                Object proto = r.get("protocol");
                int protocol = switch (String.valueOf(proto)) {
                    case "kernel" -> 2;
                    case "boot" -> 3;
                    case "static" -> 4;
                    case "ra" -> 9;
                    default -> proto instanceof Number n ? n.intValue() : 0;
                };
                out.add(new RouteInfo(d, addr(r.get("gateway")), (String) r.get("dev"), indexOf(raw, r.get("dev")),
                        scope((String) r.get("scope")), table == null || "main".equals(table) ? 254 : Integer.parseInt(table.toString()),
                        num(r.get("metric"), 0), protocol, 1));
            }
        }
        return out;
    }

    @Override
    public List<NeighborInfo> neighbors(NetnsRef ns) {
        List<Map<String, Object>> raw = rawLinks(ns);
        List<NeighborInfo> out = new ArrayList<>();
        for (Map<String, Object> n : list(MiniJson.parse(run("ip neigh show", ip(ns, "-j", "neigh", "show"))))) {
            EnumSet<NeighborState> states = EnumSet.noneOf(NeighborState.class);
            for (Object s : list2(n.get("state"))) {
                states.add(NeighborState.valueOf(s.toString()));
            }
            Object mac = n.get("lladdr");
            out.add(new NeighborInfo(indexOf(raw, n.get("dev")), (String) n.get("dev"), addr(n.get("dst")),
                    mac == null ? null : MacAddress.parse((String) mac), states));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list2(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    @Override
    public List<FdbInfo> fdb(NetnsRef ns) {
        List<Map<String, Object>> raw = rawLinks(ns);
        List<String> cmd = new ArrayList<>(List.of("bridge"));
        if (((Ref) ns).realName() != null) {
            cmd.addAll(List.of("-n", ((Ref) ns).realName()));
        }
        cmd.addAll(List.of("-j", "fdb", "show"));
        List<FdbInfo> out = new ArrayList<>();
        for (Map<String, Object> f : list(MiniJson.parse(run("bridge fdb show", cmd)))) {
            boolean self = list2(f.get("flags")).contains("self");
            Object master = f.get("master");
            Object state = f.get("state");
            out.add(new FdbInfo(indexOf(raw, f.get("ifname")), (String) f.get("ifname"), MacAddress.parse((String) f.get("mac")),
                    addr(f.get("dst")), f.get("vni") == null ? null : num(f.get("vni"), 0), num(f.get("vlan"), 0),
                    master == null ? 0 : indexOf(raw, master), self, master != null && !self,
                    EnumSet.of(fdbState(state))));
        }
        return out;
    }

    /** bridge(8)'s state word back to fdb_to_nud()'s state: permanent (local), static (NUD_NOARP), stale, else reachable. */
    private static NeighborState fdbState(Object word) {
        return switch (String.valueOf(word)) {
            case "permanent" -> NeighborState.PERMANENT;
            case "static" -> NeighborState.NOARP;
            case "stale" -> NeighborState.STALE;
            default -> NeighborState.REACHABLE;
        };
    }

    private static String path(String key) {
        List<String> parts = new ArrayList<>();
        if (key.indexOf('/') >= 0 && key.indexOf('.') < 0) {
            parts.addAll(List.of(key.split("/")));
        } else {
            for (String c : key.split("\\.")) {
                parts.add(c.replace('/', '.'));
            }
        }
        return "/proc/sys/" + String.join("/", parts);
    }

    @Override
    public String readSysctl(NetnsRef ns, String key) {
        String p = path(key);
        if (((Ref) ns).realName() == null) {
            try {
                return Files.readString(Path.of(p));
            } catch (IOException e) {
                throw KernelException.of(Errno.ENOENT, "read " + p, e.toString());
            }
        }
        return run(Commands.exec(ns, "sysctl -n " + key), List.of("ip", "netns", "exec", ((Ref) ns).realName(), "cat", p));
    }

    @Override
    public void writeSysctl(NetnsRef ns, String key, String value) {
        String p = path(key);
        if (((Ref) ns).realName() == null) {
            throw new IllegalStateException("the contract must never write the machine's own sysctls");
        }
        run(Commands.sysctl(ns, key, value), List.of("ip", "netns", "exec", ((Ref) ns).realName(), "sh", "-c",
                "test -e \"$2\" || { echo 'No such file or directory' >&2; exit 1; }; printf '%s\\n' \"$1\" | dd of=\"$2\" status=none",
                "sh", value, p));
    }

    @Override
    public void close() {}

    // ---- processes --------------------------------------------------------------------------

    private static List<String> ip(NetnsRef ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (((Ref) ns).realName() != null) {
            cmd.addAll(List.of("-n", ((Ref) ns).realName()));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static long inode(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command; returns stdout, or throws a KernelException built from what it printed. */
    private static String run(String operation, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (p.waitFor() == 0) {
                return new String(out, StandardCharsets.UTF_8);
            }
            throw IpErrors.toException(operation, new String(err, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
