package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.model.RouteScope;
import dev.netlib.model.RouteSpec;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/** RTM_NEWADDR/DELADDR and RTM_NEWROUTE/DELROUTE on the fake, with the kernel's connected routes. */
final class FakeIp {
    /** What ip(8) puts in rtm_protocol for routes it adds (RTPROT_BOOT). */
    static final int RTPROT_BOOT = 3;
    /** Default metric of user IPv6 routes (IP6_RT_PRIO_USER). */
    static final int IP6_RT_PRIO_USER = 1024;

    private FakeIp() {}

    // ---- addresses --------------------------------------------------------------------------

    static void addAddress(FakeNamespace ns, AddAddress c, String op) {
        FakeLink link = ns.byName(c.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        IpPrefix p = c.address();
        if (p.isIpv6() && !link.hasIpv6) {
            throw Fail.of(Errno.EINVAL, op, null); // ipv6_add_dev(): no inet6_dev below IPV6_MIN_MTU
        }
        if (p.isIpv6() && ns.ipv6Disabled(link)) {
            throw Fail.of(Errno.EACCES, op, "IPv6 is disabled on this device");
        }
        boolean exists = ns.addresses.stream().anyMatch(a -> a.link() == link && a.prefix().address().equals(p.address())
                && (p.isIpv6() || a.prefix().length() == p.length()));
        if (exists) {
            throw Fail.of(Errno.EEXIST, op, p.isIpv4() ? "ipv4: Address already assigned" : "ipv6: address already assigned");
        }
        FakeNamespace.Address a = new FakeNamespace.Address(link, p, scopeOf(p.address()));
        ns.addresses.add(a);
        if (link.adminUp) {
            addPrefixRoute(ns, a);
        }
    }

    static RouteScope scopeOf(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 127 ? RouteScope.HOST : RouteScope.UNIVERSE;
        }
        if (a.isLoopbackAddress()) {
            return RouteScope.HOST;
        }
        return a.isLinkLocalAddress() ? RouteScope.LINK : RouteScope.UNIVERSE;
    }

    /**
     * fib_add_ifaddr() / addrconf_prefix_route(): an address on an up device brings the route to
     * its subnet (proto kernel, scope link; IPv6 with metric 256). Not for host prefixes, not for
     * loopback (its routes live in the local table), and once per subnet and device.
     */
    static void addPrefixRoute(FakeNamespace ns, FakeNamespace.Address a) {
        IpPrefix p = a.prefix();
        // fib_add_ifaddr() makes no subnet route for a /32 or on loopback; addrconf_prefix_route()
        // makes one for every IPv6 address, /128 and loopback included (fd00::/64 dev lo, ::1 dev lo)
        if (p.isIpv4() && a.link().isLoopback()) {
            ns.loopbackLocal.add(p.network());
            return;
        }
        if (p.isIpv4() && p.length() == p.bits()) {
            return;
        }
        if (a.link().isLoopback() && p.address().isLoopbackAddress()) {
            return; // init_loopback() adds ::1 itself, without addrconf_prefix_route()
        }
        IpPrefix net = p.network();
        boolean present = ns.routes.stream().anyMatch(r -> r.link() == a.link() && r.destination().equals(net)
                && r.protocol() == FakeWorld.RTPROT_KERNEL && r.table() == RouteSpec.MAIN_TABLE);
        if (!present) {
            ns.routes.add(new FakeNamespace.Route(net, null, a.link(), p.isIpv4() ? RouteScope.LINK : RouteScope.UNIVERSE,
                    RouteSpec.MAIN_TABLE, p.isIpv4() ? 0 : FakeWorld.IP6_RT_PRIO_ADDRCONF, FakeWorld.RTPROT_KERNEL,
                    FakeWorld.RTN_UNICAST));
        }
    }

    static void deleteAddress(FakeNamespace ns, DeleteAddress c, String op) {
        FakeLink link = ns.byName(c.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        IpPrefix p = c.address();
        if (!p.isIpv4() && !link.hasIpv6) {
            // inet6_addr_del(): the device lost its inet6_dev (MTU below 1280), not just the address
            throw Fail.of(Errno.ENXIO, op, "ipv6: IPv6 is disabled on this device");
        }
        FakeNamespace.Address found = ns.addresses.stream()
                .filter(a -> a.link() == link && a.prefix().equals(p)).findFirst().orElse(null);
        if (found == null) {
            throw Fail.of(Errno.EADDRNOTAVAIL, op, p.isIpv4() ? "ipv4: Address not found" : "ipv6: address not found");
        }
        boolean primary = p.isIpv4() && ns.addresses.stream().filter(a -> sameSubnet(a, link, p)).findFirst().orElse(null) == found;
        ns.addresses.remove(found);
        if (primary) {
            // __inet_del_ifa() without promote_secondaries: the subnet's secondaries go with the primary.
            ns.addresses.removeIf(a -> sameSubnet(a, link, p));
        }
        IpPrefix net = p.network();
        boolean sameSubnetLeft = ns.addresses.stream().anyMatch(a -> a.link() == link && a.prefix().network().equals(net));
        if (!sameSubnetLeft && link.isLoopback()) {
            ns.loopbackLocal.remove(net);
        }
        if (!sameSubnetLeft) {
            ns.routes.removeIf(r -> r.link() == link && r.destination().equals(net) && r.protocol() == FakeWorld.RTPROT_KERNEL);
        }
        if (p.isIpv4() && ns.addresses.stream().noneMatch(a -> a.link() == link && a.prefix().isIpv4())) {
            // fib_del_ifaddr(): the device's last IPv4 address is gone, so is every IPv4 route through it;
            // fib_disable_ip() then runs arp_ifdown(), which flushes its ARP entries, permanent ones
            // too (checked on 6.18: a permanent neighbour on lo goes with lo's only address; seed 311)
            ns.routes.removeIf(r -> r.link() == link && r.destination().isIpv4());
            ns.neighbors.removeIf(n -> n.link() == link && n.address() instanceof java.net.Inet4Address);
        }
    }

    /** An IPv4 address of {@code link} in the subnet of {@code p} with the same mask (primary or secondary). */
    private static boolean sameSubnet(FakeNamespace.Address a, FakeLink link, IpPrefix p) {
        return a.link() == link && a.prefix().isIpv4() && a.prefix().length() == p.length()
                && p.network().contains(a.prefix().address());
    }

    // ---- routes -----------------------------------------------------------------------------

    static void addRoute(FakeNamespace ns, AddRoute c, String op) {
        RouteSpec r = c.route();
        boolean v6 = r.destination().isIpv6();
        int table = r.table() != null ? r.table() : RouteSpec.MAIN_TABLE;
        int metric = r.metric() != null ? r.metric() : v6 ? IP6_RT_PRIO_USER : 0;
        FakeLink dev = null;
        if (r.device() != null) {
            dev = ns.byName(r.device());
            if (dev == null) {
                throw Fail.noDevice(op);
            }
        }
        if (r.gateway() == null && dev == null) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        if (v6 && dev != null && !dev.hasIpv6) {
            throw Fail.noDevice(op); // fib6_nh_init(): the device has no inet6_dev
        }
        if (r.gateway() != null) {
            if (IpAddresses.isIpv6(r.gateway()) != v6) {
                throw Fail.of(Errno.EINVAL, op, v6 ? "IPv4 gateway not supported for an IPv6 route" : "Invalid gateway address");
            }
            // fib_check_nh_v4_gw(): without policy rules the local and main tables are one trie
            // (fib_table_merge), so the longest prefix wins between the local routes (own
            // addresses, lo's subnets) and the connected ones; an RTN_LOCAL answer is accepted,
            // through its device, ENETDOWN when that is down (checked on 6.18: with 10.0.1.1/16
            // on lo, "route add default via 10.0.1.9" gives "dev lo"; with 10.0.0.2/24 on v2 too,
            // "via 10.0.0.254" goes through v2 even while lo is down)
            LocalRoute local = v6 ? null : localRoute(ns, r.gateway());
            FakeNamespace.Route connected = gatewayRoute(ns, r.gateway(), dev, table);
            boolean viaLocal = local != null && (dev == null || dev == local.link())
                    && (connected == null || local.length() >= connected.destination().length());
            if (viaLocal && !local.link().adminUp) {
                throw Fail.of(Errno.ENETDOWN, op, null);
            }
            FakeLink via = viaLocal ? local.link() : connected == null ? null : connected.link();
            if (via == null) {
                // fib_check_nh_v4_gw() / ip6_validate_gw(): no connected route reaches the gateway.
                throw v6 ? Fail.of(Errno.EHOSTUNREACH, op, null) : Fail.of(Errno.ENETUNREACH, op, "Nexthop has invalid gateway");
            }
            if (v6 && via.isLoopback()) {
                // ip6_validate_gw(): "Egress device can not be loopback device for this route"
                throw Fail.of(Errno.EHOSTUNREACH, op, "Egress device can not be loopback device for this route");
            }
            dev = via;
        }
        if (v6 && ns.ipv6Disabled(dev)) {
            // fib6_nh_init() refuses a device with IPv6 disabled before it looks at its state
            // (checked on 6.18: disable_ipv6=1 and down gives EACCES, not ENETDOWN)
            throw Fail.of(Errno.EACCES, op, "IPv6 is disabled on nexthop device");
        }
        if (r.gateway() == null && !dev.adminUp) {
            throw Fail.of(Errno.ENETDOWN, op, "Device for nexthop is not up"); // fib_check_nh_nongw()
        }
        RouteScope scope = v6 ? RouteScope.UNIVERSE
                : r.scope() != null ? r.scope() : r.gateway() == null ? RouteScope.LINK : RouteScope.UNIVERSE;
        IpPrefix dst = r.destination().network();
        FakeNamespace.Route existing = find(ns, dst, table, metric, null, null);
        if (existing != null) {
            if (!c.replace()) {
                throw Fail.of(Errno.EEXIST, op, null);
            }
            ns.routes.remove(existing);
        }
        ns.routes.add(new FakeNamespace.Route(dst, r.gateway(), dev, scope, table, metric, RTPROT_BOOT, FakeWorld.RTN_UNICAST));
    }

    /** The device of a link-scope route that covers {@code gw} in the route's table or main, or null. */
    /** A local-table route an IPv4 address falls in: its device and prefix length. */
    private record LocalRoute(FakeLink link, int length) {}

    /**
     * The local-table route an IPv4 address falls in: one of the namespace's own addresses
     * (local A/32, on its device, made whatever the device's state) or a subnet of loopback
     * ({@link FakeNamespace#loopbackLocal}); null when none.
     */
    private static LocalRoute localRoute(FakeNamespace ns, InetAddress gw) {
        for (FakeNamespace.Address a : ns.addresses) {
            if (a.prefix().isIpv4() && a.prefix().address().equals(gw)) {
                return new LocalRoute(a.link(), 32);
            }
        }
        LocalRoute best = null;
        for (IpPrefix p : ns.loopbackLocal) {
            if (p.contains(gw) && (best == null || p.length() > best.length())) {
                best = new LocalRoute(ns.links.get(1), p.length()); // loopback: index 1, never moves
            }
        }
        return best;
    }

    private static FakeNamespace.Route gatewayRoute(FakeNamespace ns, InetAddress gw, FakeLink dev, int table) {
        FakeNamespace.Route best = null;
        for (FakeNamespace.Route r : ns.routes) {
            boolean tableOk = r.table() == table || r.table() == RouteSpec.MAIN_TABLE;
            if (tableOk && r.gateway() == null && r.destination().contains(gw) && (dev == null || r.link() == dev)
                    && r.link() != null && r.link().adminUp && (best == null || r.destination().length() > best.destination().length())) {
                best = r;
            }
        }
        return best;
    }

    private static FakeNamespace.Route find(FakeNamespace ns, IpPrefix dst, int table, Integer metric, InetAddress gw, FakeLink dev) {
        for (FakeNamespace.Route r : ns.routes) {
            if (r.destination().equals(dst) && r.table() == table && (metric == null || r.metric() == metric)
                    && (gw == null || gw.equals(r.gateway())) && (dev == null || r.link() == dev)) {
                return r;
            }
        }
        return null;
    }

    static void deleteRoute(FakeNamespace ns, DeleteRoute c, String op) {
        RouteSpec r = c.route();
        int table = r.table() != null ? r.table() : RouteSpec.MAIN_TABLE;
        FakeLink dev = null;
        if (r.device() != null) {
            dev = ns.byName(r.device());
            if (dev == null) {
                throw Fail.noDevice(op);
            }
        }
        FakeNamespace.Route found = find(ns, r.destination().network(), table, r.metric(), r.gateway(), dev);
        if (found == null) {
            throw Fail.of(Errno.ESRCH, op, null);
        }
        ns.routes.remove(found);
    }
}
