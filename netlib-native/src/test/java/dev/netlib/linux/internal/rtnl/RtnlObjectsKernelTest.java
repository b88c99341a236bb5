package dev.netlib.linux.internal.rtnl;

import dev.netlib.contract.iproute.MiniJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborSpec;
import dev.netlib.model.NeighborState;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.model.RouteSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetNeighbor;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kernel test (root): addresses, routes, neighbours and FDB entries applied with {@link Rtnl}
 * inside a throwaway namespace, read back through Rtnl and cross-checked with {@code ip -j addr},
 * {@code ip -j route}, {@code ip -j neigh} and {@code bridge -j fdb show}. Links are made with
 * {@code ip} so that only the rtnl2 codecs are under test.
 */
class RtnlObjectsKernelTest {

    private ThrowawayNetns ns;
    private Rtnl rtnl;
    private String callerNetns;

    @BeforeEach
    void setUp() throws IOException {
        ThrowawayNetns.assumeRoot();
        callerNetns = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        ns = ThrowawayNetns.create("nlr", "obj");
        rtnl = new Rtnl(ns.openSocket(dev.netlib.linux.internal.netlink.NetlinkConstants.NETLINK_ROUTE), ref -> {
            throw new AssertionError("no other namespace expected");
        });
        // d1 and d0 are a veth pair, both up, so d0 has carrier and its routes are usable
        ns.ip("link", "add", "name", "d0", "type", "veth", "peer", "name", "d1");
        ns.ip("link", "set", "dev", "d1", "up");
        ns.ip("link", "set", "dev", "d0", "up");
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (rtnl != null) {
                rtnl.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
        if (callerNetns != null) {
            assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())
                    .as("the test thread never changes namespace").isEqualTo(callerNetns);
        }
    }

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private static IpPrefix prefix(String s) {
        return IpPrefix.parse(s);
    }

    private void apply(KernelChange... changes) {
        rtnl.apply(List.of(changes));
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, Object> m, String key) {
        return (T) m.get(key);
    }

    // ------------------------------------------------------------------ addresses

    @Test
    void addressesAddListDelete() {
        apply(new AddAddress("d0", prefix("10.1.2.3/24")), new AddAddress("d0", prefix("fd00::3/64")),
                new AddAddress("d1", prefix("10.1.2.4/32")));
        List<AddressInfo> all = rtnl.addresses();
        int d0 = ns.ip("-o", "link", "show", "dev", "d0").chars().takeWhile(Character::isDigit)
                .map(c -> c - '0').reduce(0, (a, b) -> a * 10 + b);
        assertThat(all).contains(new AddressInfo(d0, "d0", prefix("10.1.2.3/24"), RouteScope.UNIVERSE),
                new AddressInfo(d0, "d0", prefix("fd00::3/64"), RouteScope.UNIVERSE));
        assertThat(all).anySatisfy(a -> assertThat(a.device()).isEqualTo("d1"))
                .filteredOn(a -> "d1".equals(a.device()) && a.address().isIpv4())
                .extracting(AddressInfo::address).containsExactly(prefix("10.1.2.4/32"));

        // the same set as ip -j addr show, address by address
        Set<String> ours = new HashSet<>();
        for (AddressInfo a : all) {
            ours.add(a.device() + " " + IpAddresses.format(a.address().address()) + "/" + a.address().length() + " "
                    + a.scope().word());
        }
        Set<String> theirs = new HashSet<>();
        for (Map<String, Object> link : MiniJson.parseArrayOfObjects(ns.ip("-j", "addr", "show"))) {
            List<Map<String, Object>> infos = get(link, "addr_info");
            for (Map<String, Object> a : infos) {
                theirs.add(link.get("ifname") + " " + IpAddresses.format(ip(get(a, "local"))) + "/" + a.get("prefixlen")
                        + " " + a.get("scope"));
            }
        }
        assertThat(ours).isEqualTo(theirs);

        assertThatThrownBy(() -> apply(new AddAddress("d0", prefix("10.1.2.3/24"))))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("ip addr add 10.1.2.3/24 dev d0");
        apply(new DeleteAddress("d0", prefix("10.1.2.3/24")), new DeleteAddress("d0", prefix("fd00::3/64")));
        assertThat(rtnl.addresses()).extracting(AddressInfo::address)
                .doesNotContain(prefix("10.1.2.3/24"), prefix("fd00::3/64"));
        assertThat(ns.ip("-j", "addr", "show", "dev", "d0")).doesNotContain("10.1.2.3");
        assertThatThrownBy(() -> apply(new DeleteAddress("d0", prefix("10.1.2.3/24"))))
                .isInstanceOfSatisfying(KernelException.class,
                        e -> assertThat(e.errno().name()).isEqualTo("EADDRNOTAVAIL"));
        assertThatThrownBy(() -> apply(new AddAddress("nope0", prefix("10.9.9.9/24"))))
                .isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------ routes

    private static RouteSpec route(String dst, String via, String dev, RouteScope scope, Integer table, Integer metric) {
        return new RouteSpec(prefix(dst), via == null ? null : ip(via), dev, scope, table, metric);
    }

    @Test
    void routesAddListReplaceDelete() {
        // address and routes in one apply: the connected route exists once the address is in
        apply(new AddAddress("d0", prefix("10.1.2.3/24")), new AddAddress("d0", prefix("fd00::3/64")),
                new AddRoute(route("0.0.0.0/0", "10.1.2.1", null, null, null, null), false),
                new AddRoute(route("10.8.0.0/16", "10.1.2.1", "d0", null, 100, 50), false),
                new AddRoute(route("10.9.0.0/16", null, "d0", null, null, 9), false),
                new AddRoute(route("::/0", "fd00::1", "d0", null, null, null), false),
                new AddRoute(route("fd01::/48", "fd00::1", "d0", null, 1000, 20), false));
        List<RouteInfo> routes = rtnl.routes();
        assertThat(routes).noneMatch(r -> r.table() == RtaConstants.RT_TABLE_LOCAL);
        RouteInfo def = routes.stream().filter(r -> r.isDefault() && r.destination().isIpv4()).findFirst().orElseThrow();
        assertThat(def.gateway()).isEqualTo(ip("10.1.2.1"));
        assertThat(def.device()).isEqualTo("d0");
        assertThat(def.table()).isEqualTo(254);
        assertThat(def.protocol()).isEqualTo(RtaConstants.RTPROT_BOOT);
        assertThat(routes).anySatisfy(r -> {
            assertThat(r.destination()).isEqualTo(prefix("10.8.0.0/16"));
            assertThat(r.table()).isEqualTo(100);
            assertThat(r.metric()).isEqualTo(50);
            assertThat(r.gateway()).isEqualTo(ip("10.1.2.1"));
        });
        assertThat(routes).anySatisfy(r -> {
            assertThat(r.destination()).isEqualTo(prefix("10.9.0.0/16"));
            assertThat(r.scope()).isEqualTo(RouteScope.LINK);
            assertThat(r.gateway()).isNull();
        });
        assertThat(routes).anySatisfy(r -> {
            assertThat(r.destination()).isEqualTo(prefix("fd01::/48"));
            assertThat(r.table()).isEqualTo(1000);
            assertThat(r.metric()).isEqualTo(20);
        });
        assertThat(routes).anySatisfy(r -> {
            assertThat(r.destination()).isEqualTo(prefix("::/0"));
            assertThat(r.gateway()).isEqualTo(ip("fd00::1"));
        });
        crossCheckRoutes(routes);

        assertThatThrownBy(() -> apply(new AddRoute(route("10.9.0.0/16", null, "d0", null, null, 9), false)))
                .isInstanceOf(AlreadyExistsException.class);
        // replace moves 10.9.0.0/16 (metric 9) behind the gateway
        apply(new AddRoute(route("10.9.0.0/16", "10.1.2.1", "d0", null, null, 9), true));
        assertThat(rtnl.routes()).filteredOn(r -> r.destination().equals(prefix("10.9.0.0/16")))
                .singleElement().satisfies(r -> assertThat(r.gateway()).isEqualTo(ip("10.1.2.1")));

        apply(new DeleteRoute(route("0.0.0.0/0", "10.1.2.1", null, null, null, null)),
                new DeleteRoute(route("10.8.0.0/16", "10.1.2.1", "d0", null, 100, 50)),
                new DeleteRoute(route("::/0", "fd00::1", "d0", null, null, null)),
                new DeleteRoute(route("fd01::/48", null, null, null, 1000, 20)));
        List<RouteInfo> left = rtnl.routes();
        assertThat(left).noneMatch(RouteInfo::isDefault);
        assertThat(left).extracting(RouteInfo::destination).doesNotContain(prefix("10.8.0.0/16"), prefix("fd01::/48"));
        crossCheckRoutes(left);
        assertThatThrownBy(() -> apply(new DeleteRoute(route("10.8.0.0/16", null, null, null, 100, null))))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno().name()).isEqualTo("ESRCH"));
    }

    /** Our routes equal those of ip -j route show table all (both families), local table left out. */
    private void crossCheckRoutes(List<RouteInfo> routes) {
        Set<String> ours = new HashSet<>();
        for (RouteInfo r : routes) {
            ours.add(key(r.destination().length() == 0 ? "default" : IpAddresses.format(r.destination().address()) + "/"
                    + r.destination().length(), r.gateway() == null ? null : IpAddresses.format(r.gateway()), r.device(),
                    r.table(), r.metric()));
        }
        Set<String> theirs = new HashSet<>();
        for (String fam : List.of("-4", "-6")) {
            for (Map<String, Object> r : MiniJson.parseArrayOfObjects(ns.ip("-j", fam, "route", "show", "table", "all"))) {
                String table = (String) r.getOrDefault("table", "main");
                if (table.equals("local") || "unreachable".equals(r.get("type"))) {
                    continue;
                }
                String dst = get(r, "dst");
                if (!dst.equals("default") && !dst.contains("/")) {
                    dst = dst + (dst.contains(":") ? "/128" : "/32");
                }
                if (!dst.equals("default")) {
                    IpPrefix p = prefix(dst);
                    dst = IpAddresses.format(p.address()) + "/" + p.length();
                }
                String gw = get(r, "gateway");
                theirs.add(key(dst, gw == null ? null : IpAddresses.format(ip(gw)), get(r, "dev"),
                        table.equals("main") ? 254 : Integer.parseInt(table),
                        r.containsKey("metric") ? ((Long) r.get("metric")).intValue() : 0));
            }
        }
        // The kernel adds each link's fe80::/64 route asynchronously when IPv6 comes up on it, so
        // one may appear between our dump and ip's: compare everything else.
        ours.removeIf(k -> k.startsWith("fe80::/64 "));
        theirs.removeIf(k -> k.startsWith("fe80::/64 "));
        assertThat(ours).isEqualTo(theirs);
    }

    private static String key(String dst, String gw, String dev, int table, int metric) {
        return dst + " via " + gw + " dev " + dev + " table " + table + " metric " + metric;
    }

    @Test
    void kernelRefusalsCarryTheKernelsWords() {
        apply(new AddAddress("d0", prefix("10.1.2.3/24")));
        assertThatThrownBy(() -> apply(new AddRoute(route("10.50.0.0/16", "192.168.77.1", null, null, null, null), false)))
                .isInstanceOfSatisfying(KernelException.class, e -> {
                    assertThat(e.errno().name()).isEqualTo("ENETUNREACH");
                    assertThat(e.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("invalid gateway"));
                    assertThat(e.getMessage()).contains("ip route add 10.50.0.0/16 via 192.168.77.1");
                });
        // host bits in a route's destination are sent as given: the kernel says what is wrong
        assertThatThrownBy(() -> apply(new AddRoute(route("10.50.0.1/16", null, "d0", null, null, null), false)))
                .isInstanceOfSatisfying(KernelException.class,
                        e -> assertThat(e.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("prefix length")));
        assertThatThrownBy(() -> apply(new AddAddress("d0", prefix("10.1.2.3/24"))))
                .isInstanceOfSatisfying(AlreadyExistsException.class,
                        e -> assertThat(e.kernelMessage()).hasValueSatisfying(m -> assertThat(m).contains("already assigned")));
    }

    @Test
    void linksAndTheirAddressesAndRoutesInOneApply() {
        // the veth is created by an earlier change of the same call: Rtnl sends it before the
        // address and route encoders ask for its index
        apply(new CreateLink("v0", LinkAttributes.NONE.withUp(true), new VethSpec("v1", LinkAttributes.NONE.withUp(true))),
                new AddAddress("v0", prefix("10.5.0.1/24")),
                new AddRoute(route("10.60.0.0/16", "10.5.0.9", "v0", null, null, null), false),
                new SetNeighbor(new NeighborSpec("v0", ip("10.5.0.9"), MacAddress.parse("02:00:00:00:05:09"), null), false));
        int v0 = rtnl.link("v0").orElseThrow().index();
        assertThat(rtnl.addresses()).contains(new AddressInfo(v0, "v0", prefix("10.5.0.1/24"), RouteScope.UNIVERSE));
        assertThat(rtnl.routes()).anySatisfy(r -> {
            assertThat(r.destination()).isEqualTo(prefix("10.60.0.0/16"));
            assertThat(r.deviceIndex()).isEqualTo(v0);
            assertThat(r.device()).isEqualTo("v0");
        });
        assertThat(rtnl.neighbors()).anySatisfy(n -> assertThat(n.address()).isEqualTo(ip("10.5.0.9")));
        assertThat(ns.ip("-j", "route", "show", "10.60.0.0/16")).contains("\"gateway\":\"10.5.0.9\"");
    }

    @Test
    void hundredsOfObjectsInOneApplyAndMultipartDumps() {
        int n = 500;
        List<KernelChange> changes = new ArrayList<>();
        changes.add(new AddAddress("d0", prefix("10.1.0.1/16")));
        for (int i = 0; i < n; i++) {
            String host = "10.2." + (i / 250) + "." + (i % 250 + 1);
            changes.add(new AddAddress("d0", prefix(host + "/32")));
            changes.add(new AddRoute(route("10.100." + (i / 250) + "." + (i % 250) + "/32", "10.1.0.254", "d0", null, null, null), false));
            changes.add(new SetNeighbor(new NeighborSpec("d0", ip("10.1." + (1 + i / 250) + "." + (i % 250 + 1)),
                    MacAddress.parse(String.format("02:00:00:00:%02x:%02x", i >> 8, i & 0xff)), null), false));
        }
        long t0 = System.nanoTime();
        rtnl.apply(changes);
        long applied = System.nanoTime() - t0;
        // each dump spans many datagrams (hundreds of messages)
        assertThat(rtnl.addresses()).filteredOn(a -> "d0".equals(a.device()) && a.address().isIpv4()).hasSize(n + 1);
        assertThat(rtnl.routes()).filteredOn(r -> r.gateway() != null && r.destination().length() == 32).hasSize(n);
        assertThat(rtnl.neighbors()).filteredOn(x -> "d0".equals(x.device())).hasSize(n);
        assertThat(MiniJson.parseArrayOfObjects(ns.ip("-j", "-4", "addr", "show", "dev", "d0")).get(0).get("addr_info"))
                .asList().hasSize(n + 1);
        assertThat(MiniJson.parseArrayOfObjects(ns.ip("-j", "route", "show", "via", "10.1.0.254"))).hasSize(n);
        assertThat(MiniJson.parseArrayOfObjects(ns.ip("-j", "neigh", "show", "dev", "d0"))).hasSize(n);
        System.out.printf("rtnl2: %d changes in one apply: %.1f ms%n", changes.size(), applied / 1e6);
    }

    // ------------------------------------------------------------------ neighbours

    @Test
    void neighboursAddReplaceListDelete() {
        apply(new AddAddress("d0", prefix("10.1.2.3/24")),
                new SetNeighbor(new NeighborSpec("d0", ip("10.1.2.9"), MacAddress.parse("02:00:00:00:00:09"), null), false),
                new SetNeighbor(new NeighborSpec("d0", ip("fd00::9"), MacAddress.parse("02:00:00:00:00:0a"),
                        NeighborState.PERMANENT), false));
        assertThatThrownBy(() -> apply(new SetNeighbor(new NeighborSpec("d0", ip("10.1.2.9"),
                MacAddress.parse("02:00:00:00:00:99"), null), false))).isInstanceOf(AlreadyExistsException.class);
        apply(new SetNeighbor(new NeighborSpec("d0", ip("10.1.2.9"), MacAddress.parse("02:00:00:00:00:19"), null), true),
                new SetNeighbor(new NeighborSpec("d0", ip("10.1.2.10"), MacAddress.parse("02:00:00:00:00:10"),
                        NeighborState.STALE), true));
        List<NeighborInfo> all = rtnl.neighbors();
        assertThat(all).filteredOn(n -> n.address().equals(ip("10.1.2.9"))).singleElement().satisfies(n -> {
            assertThat(n.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:19"));
            assertThat(n.device()).isEqualTo("d0");
            assertThat(n.states()).containsExactly(NeighborState.PERMANENT);
        });
        assertThat(all).filteredOn(n -> n.address().equals(ip("fd00::9"))).singleElement()
                .satisfies(n -> assertThat(n.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:0a")));
        assertThat(all).filteredOn(n -> n.address().equals(ip("10.1.2.10"))).singleElement()
                .satisfies(n -> assertThat(n.states()).contains(NeighborState.STALE));
        crossCheckNeighbours(all);

        apply(new DeleteNeighbor("d0", ip("10.1.2.9")), new DeleteNeighbor("d0", ip("fd00::9")));
        List<NeighborInfo> left = rtnl.neighbors();
        assertThat(left).extracting(NeighborInfo::address).doesNotContain(ip("10.1.2.9"), ip("fd00::9"));
        crossCheckNeighbours(left);
        assertThatThrownBy(() -> apply(new DeleteNeighbor("d0", ip("10.1.2.9")))).isInstanceOf(NotFoundException.class);
    }

    private void crossCheckNeighbours(List<NeighborInfo> all) {
        Set<String> ours = new HashSet<>();
        for (NeighborInfo n : all) {
            ours.add(IpAddresses.format(n.address()) + " " + n.device() + " " + n.mac());
        }
        Set<String> theirs = new HashSet<>();
        for (Map<String, Object> n : MiniJson.parseArrayOfObjects(ns.ip("-j", "neigh", "show"))) {
            String ll = get(n, "lladdr");
            theirs.add(IpAddresses.format(ip(get(n, "dst"))) + " " + n.get("dev") + " "
                    + (ll == null ? null : MacAddress.parse(ll)));
        }
        // The kernel adds each link's fe80::/64 route asynchronously when IPv6 comes up on it, so
        // one may appear between our dump and ip's: compare everything else.
        ours.removeIf(k -> k.startsWith("fe80::/64 "));
        theirs.removeIf(k -> k.startsWith("fe80::/64 "));
        assertThat(ours).isEqualTo(theirs);
    }

    // ------------------------------------------------------------------ FDB

    private static FdbSpec fdb(String dev, String mac, String dst, Integer vni, boolean self, boolean master) {
        return new FdbSpec(dev, MacAddress.parse(mac), dst == null ? null : ip(dst), vni, self, master, true);
    }

    @Test
    void fdbSelfMasterAppendDelete() {
        ns.ip("link", "add", "name", "br0", "type", "bridge");
        ns.ip("link", "set", "dev", "d0", "master", "br0");
        ns.ip("link", "add", "name", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "nolearning");
        ns.ip("link", "set", "dev", "vx0", "up");
        apply(new AddFdb(fdb("vx0", "02:00:00:00:00:aa", "10.0.0.2", null, true, false), false),
                new AddFdb(fdb("vx0", "02:00:00:00:00:bb", "10.0.0.4", 100, true, false), false),
                new AddFdb(fdb("vx0", "00:00:00:00:00:00", "10.0.0.2", null, true, false), true),
                new AddFdb(fdb("vx0", "00:00:00:00:00:00", "10.0.0.3", null, true, false), true),
                new AddFdb(fdb("d0", "02:00:00:00:00:cc", null, null, false, true), false));
        List<FdbInfo> all = rtnl.fdb();
        assertThat(all).filteredOn(f -> f.device().equals("vx0") && f.mac().isZero()).extracting(FdbInfo::destination)
                .containsExactlyInAnyOrder(ip("10.0.0.2"), ip("10.0.0.3"));
        assertThat(all).filteredOn(f -> f.mac().equals(MacAddress.parse("02:00:00:00:00:bb"))).singleElement()
                .satisfies(f -> {
                    assertThat(f.vni()).isEqualTo(100);
                    assertThat(f.self()).isTrue();
                    assertThat(f.isPermanent()).isTrue();
                    assertThat(f.destination()).isEqualTo(ip("10.0.0.4"));
                });
        assertThat(all).filteredOn(f -> f.mac().equals(MacAddress.parse("02:00:00:00:00:cc"))).singleElement()
                .satisfies(f -> {
                    assertThat(f.device()).isEqualTo("d0");
                    assertThat(f.master()).isTrue();
                    assertThat(f.self()).isFalse();
                });
        crossCheckFdb(all);

        // a second add of the same flood entry without append is refused; append of a new VTEP is not
        assertThatThrownBy(() -> apply(new AddFdb(fdb("vx0", "00:00:00:00:00:00", "10.0.0.5", null, true, false), false)))
                .isInstanceOf(AlreadyExistsException.class);

        apply(new DeleteFdb(fdb("vx0", "00:00:00:00:00:00", "10.0.0.3", null, true, false)),
                new DeleteFdb(fdb("d0", "02:00:00:00:00:cc", null, null, false, true)),
                new DeleteFdb(fdb("vx0", "02:00:00:00:00:aa", "10.0.0.2", null, true, false)));
        List<FdbInfo> left = rtnl.fdb();
        assertThat(left).filteredOn(f -> f.device().equals("vx0") && f.mac().isZero()).extracting(FdbInfo::destination)
                .containsExactly(ip("10.0.0.2"));
        assertThat(left).extracting(FdbInfo::mac)
                .doesNotContain(MacAddress.parse("02:00:00:00:00:cc"), MacAddress.parse("02:00:00:00:00:aa"));
        crossCheckFdb(left);
    }

    /**
     * Our entries equal bridge -j fdb show's. Multicast MACs are left out on both sides: the
     * kernel adds them itself, asynchronously, as IPv6 DAD joins solicited-node groups, so they
     * may change between the two dumps.
     */
    private void crossCheckFdb(List<FdbInfo> all) {
        List<String> ours = new ArrayList<>();
        for (FdbInfo f : all) {
            if (f.mac().isMulticast()) {
                continue;
            }
            ours.add(f.mac() + " " + f.device() + " " + (f.destination() == null ? null : IpAddresses.format(f.destination()))
                    + " " + f.vni() + " " + f.self() + " " + f.master());
        }
        List<String> theirs = new ArrayList<>();
        for (Map<String, Object> f : MiniJson.parseArrayOfObjects(ns.bridge("-j", "fdb", "show"))) {
            List<String> flags = get(f, "flags");
            Long vni = get(f, "vni");
            if (MacAddress.parse(get(f, "mac")).isMulticast()) {
                continue;
            }
            theirs.add(MacAddress.parse(get(f, "mac")) + " " + f.get("ifname") + " "
                    + (f.get("dst") == null ? null : IpAddresses.format(ip(get(f, "dst")))) + " "
                    + (vni == null ? null : vni.intValue()) + " " + flags.contains("self") + " " + f.containsKey("master"));
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
    }
}
