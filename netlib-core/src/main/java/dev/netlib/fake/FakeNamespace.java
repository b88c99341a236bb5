package dev.netlib.fake;

import dev.netlib.model.NeighborState;
import dev.netlib.model.RouteScope;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The state of one fake network namespace: links, addresses, routes, neighbours, FDB, sysctls. */
final class FakeNamespace {
    final long inode;
    final boolean root;
    /** The name under /var/run/netns; null for the root and anonymous namespaces, and after deletion. */
    String name;
    boolean alive = true;
    /** Open refs (namespace fds) and registered processes keeping the namespace alive. */
    int holders;
    final Map<Integer, FakeLink> links = new TreeMap<>();
    final List<Address> addresses = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    final List<Neighbor> neighbors = new ArrayList<>();
    final List<Fdb> fdb = new ArrayList<>();
    final Map<String, String> sysctls = new TreeMap<>();
    /** Per-device sysctls (net.ipv4.conf.DEV.*, net.ipv6.conf.DEV.*), keyed by link. */
    final Map<FakeLink, Map<String, String>> deviceSysctls = new HashMap<>();
    /**
     * The local-table routes fib_add_ifaddr() makes on loopback for the subnet of each of its
     * IPv4 addresses (local 10.0.0.0/16 dev lo): made while lo is up, kept when it goes down
     * (host scope), gone with the address. They let a gateway in that subnet be added.
     */
    final Set<IpPrefix> loopbackLocal = new HashSet<>();
    /** Next device index to try: like Linux, every namespace counts its own (lo is 1 everywhere). */
    int nextIndex = 2;
    /** RTM_NEWNSID: ids this namespace gave to others, keyed by their inode. */
    final Map<Long, Integer> nsids = new HashMap<>();

    FakeNamespace(long inode, boolean root, String name) {
        this.inode = inode;
        this.root = root;
        this.name = name;
        FakeSysctls.initNamespace(this);
    }

    /** dev_index_reserve(): the next free index of this namespace. */
    int allocateIndex() {
        while (links.containsKey(nextIndex)) {
            nextIndex++;
        }
        return nextIndex++;
    }

    FakeLink byName(String linkName) {
        for (FakeLink l : links.values()) {
            if (l.name.equals(linkName)) {
                return l;
            }
        }
        return null;
    }

    /**
     * Whether net.ipv6.conf.DEV.disable_ipv6 is 1 for {@code link}: the device keeps its inet6_dev
     * but takes no IPv6 address, route or neighbour (addrconf_disable_change()). False for a device
     * without an inet6_dev at all (below IPV6_MIN_MTU, where it has no ipv6 keys); check
     * {@link FakeLink#hasIpv6} for that.
     */
    boolean ipv6Disabled(FakeLink link) {
        return "1".equals(deviceSysctls.get(link).get(FakeSysctls.DISABLE_IPV6));
    }

    /** The id this namespace knows {@code other} by, allocated on first use as peernet2id_alloc() does. */
    int nsidOf(FakeNamespace other) {
        return nsids.computeIfAbsent(other.inode, k -> nsids.size());
    }

    /** An interface address; the link is referenced so a rename shows at once. */
    record Address(FakeLink link, IpPrefix prefix, RouteScope scope) {}

    /** A route; {@code link} is null only for routes without a device (none in the fake today). */
    record Route(IpPrefix destination, InetAddress gateway, FakeLink link, RouteScope scope, int table, int metric,
            int protocol, int type) {}

    record Neighbor(FakeLink link, InetAddress address, MacAddress mac, NeighborState state) {}

    /**
     * An FDB entry. {@code bridge} is the bridge whose table holds it (for an entry pointing at no
     * port, {@code link} is that bridge), else null for an entry of {@code link}'s own table ({@code
     * self}); {@code vlan} is the entry's VLAN in a bridge's table, 0 for none and for every other entry.
     */
    record Fdb(FakeLink link, MacAddress mac, InetAddress destination, Integer vni, boolean self, FakeLink bridge,
            dev.netlib.model.FdbSpec.State state, int vlan) {}
}
