package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteScope;
import dev.netlib.spi.change.IfindexChoice;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every namespace of the fake kernel and the events that cross them: device registration,
 * up/down, enslaving, moving, destruction (a veth takes its peer, a lower device its macvlans, a
 * namespace all its devices).
 */
final class FakeWorld {
    /** The root namespace's inode on Linux (PROC_NET_INIT_INO); others count up from the first free one. */
    static final long ROOT_INODE = 4026531840L;
    static final int RTPROT_KERNEL = 2;
    static final int RTN_UNICAST = 1;
    /** Metric of kernel-made IPv6 prefix routes (IP6_RT_PRIO_ADDRCONF). */
    static final int IP6_RT_PRIO_ADDRCONF = 256;

    final List<FakeNamespace> namespaces = new ArrayList<>();
    /** The ifindexes creates ask for where LinuxBackend would choose them ({@link IfindexChoice}); the same in every run. */
    final IfindexChoice.Sequence chosenIndexes = new IfindexChoice.Sequence(IfindexChoice.BASE);
    final FakeNamespace root;
    private long nextInode = ROOT_INODE + 0x100;

    /**
     * The kernel was built with CONFIG_BRIDGE_VLAN_FILTERING: bridges take vlan_filtering and have VLAN
     * groups ({@link FakeBridgeFdb#vlanGroup}). Without it, as on the machine the contract suite checks
     * the fake against, vlan_filtering 1 is EOPNOTSUPP and every bridge FDB entry is on VLAN 0.
     */
    final boolean bridgeVlanFiltering;

    FakeWorld(boolean bridgeVlanFiltering) {
        this.bridgeVlanFiltering = bridgeVlanFiltering;
        root = new FakeNamespace(ROOT_INODE, true, null);
        namespaces.add(root);
        addLoopback(root);
        // The machine's own loopback is up with its addresses, as on any running host.
        setAdmin(root.byName("lo"), true);
        settle();
    }

    // ---- namespaces -------------------------------------------------------------------------

    FakeNamespace newNamespace(String name) {
        FakeNamespace ns = new FakeNamespace(nextInode++, false, name);
        namespaces.add(ns);
        addLoopback(ns);
        return ns;
    }

    FakeNamespace byName(String name) {
        for (FakeNamespace ns : namespaces) {
            if (name.equals(ns.name)) {
                return ns;
            }
        }
        return null;
    }

    /** The namespace behind a ref; EBADF for a released ref, as for a closed namespace fd. */
    FakeNamespace resolve(NetnsRef ref) {
        if (!(ref instanceof FakeNetnsRef r)) {
            throw Fail.of(Errno.EBADF, "setns", "not a FakeKernel namespace reference: " + ref);
        }
        if (r.released || !r.target.alive) {
            throw Fail.of(Errno.EBADF, "setns " + r.describe(), null);
        }
        return r.target;
    }

    /** Drops one holder; a namespace with no name and no holders is destroyed (cleanup_net). */
    void unhold(FakeNamespace ns) {
        ns.holders--;
        maybeDestroy(ns);
    }

    void maybeDestroy(FakeNamespace ns) {
        if (ns.alive && !ns.root && ns.name == null && ns.holders <= 0) {
            destroyNamespace(ns);
        }
    }

    private void destroyNamespace(FakeNamespace ns) {
        ns.alive = false;
        for (FakeLink l : new ArrayList<>(ns.links.values())) {
            if (ns.links.get(l.index) == l) {
                destroy(l);
            }
        }
        // vxlan_exit_rtnl() -> vxlan_destroy_tunnels(): every vxlan on the dying namespace's
        // vxlan_list goes, the ones made from it and moved elsewhere too (checked on 6.18: ip -n C
        // link add vx0 type vxlan id 42 dstport 4789; ip -n C link set vx0 netns A; ip netns del C
        // takes A's vx0 along)
        for (FakeLink l : allLinks()) {
            if (l.linkNet == ns) {
                destroy(l);
            }
        }
        namespaces.remove(ns);
        for (FakeNamespace other : namespaces) {
            other.nsids.remove(ns.inode);
        }
        settle();
    }

    // ---- devices ----------------------------------------------------------------------------

    private void addLoopback(FakeNamespace ns) {
        FakeLink lo = new FakeLink(null, 65536, 0, 0);
        lo.name = "lo";
        lo.index = 1;
        lo.mac = MacAddress.ZERO;
        lo.ns = ns;
        ns.links.put(1, lo);
        FakeSysctls.initDevice(ns, lo);
    }

    /** A name like the kernel's "veth%d" for an unnamed peer. */
    String freeName(FakeNamespace ns, String prefix) {
        for (int i = 0; ; i++) {
            if (ns.byName(prefix + i) == null) {
                return prefix + i;
            }
        }
    }

    /**
     * register_netdevice() with the attributes that come with the create request, at
     * {@code index} (free, checked by the caller) or, when 0, the next one the namespace's cyclic
     * allocator gives.
     */
    void register(FakeNamespace ns, FakeLink link, LinkAttributes a, int index) {
        link.index = index != 0 ? index : ns.allocateIndex();
        link.ns = ns;
        link.mac = a.mac() != null ? a.mac() : FakeLinks.newMac();
        link.macSetByUser = a.mac() != null;
        if (a.mtu() != null) {
            // rtnl_create_link() writes IFLA_MTU into the device, not through dev_set_mtu(): a bridge
            // made with an MTU still follows its ports' (checked with ip on 6.18: created with mtu
            // 9000, it drops to 1500 when a 1500 port joins)
            link.mtu = a.mtu();
        }
        if (a.group() != null) {
            link.group = a.group();
        }
        if (a.txQueueLength() != null) {
            link.txQueueLength = a.txQueueLength();
        }
        if (a.addrGenMode() != null) {
            link.addrGenMode = a.addrGenMode();
        }
        if (link.macSetByUser) {
            bridgeIdChanged(link); // br_dev_newlink() with IFLA_ADDRESS, before register_netdevice()
        }
        ns.links.put(link.index, link);
        FakeSysctls.initDevice(ns, link);
        mtuChanged(link);
    }

    /**
     * NETDEV_CHANGEADDR: arp_netdev_event() and ndisc_netdev_event() call neigh_changeaddr(),
     * which flushes every neighbour of the device, permanent ones included.
     */
    void macChanged(FakeLink link) {
        link.ns.neighbors.removeIf(n -> n.link() == link);
    }

    /**
     * br_stp_change_bridge_id(): a bridge's MAC changed (by its ports, or by the user at creation
     * or later) runs br_port_state_selection(), which sets the carrier from the ports (off without
     * a live one) and fires linkwatch. Checked on 6.18: {@code ip link add b2 address
     * 02:00:00:00:01:01 up type bridge} has NO-CARRIER and is DOWN, where {@code ip link add b1 up
     * type bridge} is UNKNOWN; enslaving an up port to b1 makes it UP at once.
     */
    void bridgeIdChanged(FakeLink bridge) {
        if (bridge.isBridge()) {
            bridge.portsSelected = true;
            bridge.linkwatchEvent = true;
        }
    }

    /** Every link of every namespace. */
    List<FakeLink> allLinks() {
        List<FakeLink> out = new ArrayList<>();
        namespaces.forEach(n -> out.addAll(n.links.values()));
        return out;
    }

    /** ETH_DATA_LEN: the MTU of a bridge without ports (br_mtu_min()). */
    static final int ETH_DATA_LEN = 1500;
    /** The smallest MTU with which a device keeps IPv6 (IPV6_MIN_MTU). */
    static final int IPV6_MIN_MTU = 1280;

    /**
     * addrconf_notify(NETDEV_CHANGEMTU / NETDEV_REGISTER): below IPV6_MIN_MTU the device loses
     * its inet6_dev (addrconf_ifdown(dev, true)): every IPv6 address, route and neighbour on it
     * and its net.ipv6.conf.DEV keys; raised again, it gets a fresh one (and, once up with
     * carrier, a new link-local address).
     */
    void mtuChanged(FakeLink link) {
        FakeNamespace ns = link.ns;
        if (link.mtu < IPV6_MIN_MTU && link.hasIpv6) {
            link.ipv6Configured = false;
            ns.addresses.removeIf(a -> a.link() == link && a.prefix().isIpv6());
            ns.routes.removeIf(r -> r.link() == link && r.destination().isIpv6());
            ns.neighbors.removeIf(n -> n.link() == link && IpAddresses.isIpv6(n.address()));
            // addrconf_ifdown(dev, dev != net->loopback_dev): loopback keeps its inet6_dev
            if (!link.isLoopback()) {
                link.hasIpv6 = false;
                ns.deviceSysctls.get(link).keySet().removeIf(k -> k.startsWith("ipv6."));
            }
        } else if (link.mtu >= IPV6_MIN_MTU && !link.hasIpv6) {
            link.hasIpv6 = true;
            FakeSysctls.initIpv6(ns, link);
            // addrconf_notify(NETDEV_CHANGEMTU) falls through to NETDEV_UP when the fresh inet6_dev
            // is ready, i.e. by the operstate stored NOW: a bridge whose last port is leaving gets
            // its MTU back before linkwatch has seen its carrier go, so it gets a link-local
            // address all the same (checked on 6.18, fuzzer seed 48)
            configureIpv6(ns, link);
        }
        // macvlan_device_event(NETDEV_CHANGEMTU): a macvlan is never left above its lower device
        for (FakeNamespace n : namespaces) {
            for (FakeLink child : List.copyOf(n.links.values())) {
                if (child.parent == link && child.mtu > link.mtu) {
                    child.mtu = link.mtu;
                    mtuChanged(child);
                    portsChanged(child); // NETDEV_CHANGEMTU reaches its bridge too (br_mtu_auto_adjust)
                }
            }
        }
    }

    void enslave(FakeLink port, FakeLink bridge) {
        if (port.masterIndex == bridge.index) {
            return;
        }
        release(port);
        port.masterIndex = bridge.index;
        port.hairpin = false; // br_add_if() makes a new port: new_nbp() sets BR_LEARNING and no hairpin
        port.learning = true;
        port.bridgePromisc = false;
        bridge.portsSelected = true;
        // br_add_if() counts the new port as automatic (flood and learning on), so br_manage_promisc()
        // runs: without vlan_filtering it puts the port in promiscuous mode, and br_fdb_unsync_static()
        // takes the MAC of every static entry of the bridge's table off the port's unicast list. A self
        // entry the port had for such a MAC is gone and does not come back when the port leaves; one
        // added after the port joined, or a static entry the bridge gets later, leaves it alone (checked
        // on 6.18 with bridge fdb append M dev v1 self permanent; bridge fdb append M dev br0 self
        // permanent; ip link set v1 master br0; fuzzer seed 3020). With vlan_filtering a lone port stays
        // out of promiscuous mode, and one with a unicast filter gets those MACs instead (FakeBridgePromisc).
        FakeBridgePromisc.portAdded(port, bridge);
        adjustBridge(bridge);
    }

    void release(FakeLink port) {
        if (port.masterIndex == 0) {
            return;
        }
        FakeLink bridge = port.ns.links.get(port.masterIndex);
        // del_nbp(): nbp_delete_promisc(), then br_fdb_delete_by_port() takes the port's entries of every
        // VLAN, then nbp_update_port_count() manages the other ports' promiscuity
        if (bridge != null) {
            FakeBridgePromisc.portRemoved(port, bridge);
        }
        port.masterIndex = 0;
        for (FakeNamespace.Fdb f : List.copyOf(port.ns.fdb)) {
            if (f.link() == port && f.bridge() != null) {
                FakeBridgeFdb.remove(port.ns, f);
            }
        }
        if (bridge != null) {
            FakeBridgePromisc.portsChanged(bridge);
            adjustBridge(bridge);
        }
    }

    /** A port's MTU or MAC changed: its bridge follows. */
    void portsChanged(FakeLink link) {
        if (link.masterIndex != 0) {
            FakeLink bridge = link.ns.links.get(link.masterIndex);
            if (bridge != null) {
                adjustBridge(bridge);
            }
        }
    }

    /**
     * br_mtu_auto_adjust() and br_stp_recalculate_bridge_id(): unless the user set them, a bridge
     * takes the smallest MTU and the lowest MAC of its ports; once its last port leaves, br_mtu_min()
     * gives ETH_DATA_LEN (1500) and the bridge id, with it the MAC, becomes 00:00:00:00:00:00
     * (checked on 6.18: {@code ip link set v3 nomaster} leaves br1 at mtu 1500, ether 00:00:00:00:00:00).
     */
    private void adjustBridge(FakeLink bridge) {
        List<FakeLink> ports = bridge.ns.links.values().stream().filter(l -> l.masterIndex == bridge.index).toList();
        int min = ports.stream().mapToInt(l -> l.mtu).min().orElse(ETH_DATA_LEN);
        // br_mtu_auto_adjust() goes through dev_set_mtu(), whose refusal it ignores: a port above the
        // bridge's max_mtu (a vxlan on a lo of MTU 70000 has 69950) leaves the bridge's MTU as it was
        // (checked on 6.18: ip link set vx0 master br1 succeeds, br1 stays at 1500; fuzzer seed 2403)
        if (!bridge.mtuSetByUser && FakeLinks.mtuInRange(bridge, min)) {
            bridge.mtu = min;
            mtuChanged(bridge);
        }
        if (!bridge.macSetByUser) {
            MacAddress lowest = ports.stream().map(l -> l.mac)
                    .min(Comparator.comparing(m -> IpAddresses.toBigInteger(macAsAddress(m)))).orElse(MacAddress.ZERO);
            if (!lowest.equals(bridge.mac)) {
                bridge.mac = lowest;
                macChanged(bridge);
                bridgeIdChanged(bridge);
            }
        }
    }

    private static InetAddress macAsAddress(MacAddress m) {
        byte[] b = new byte[16];
        System.arraycopy(m.bytes(), 0, b, 10, 6);
        return IpAddresses.fromBytes(b);
    }

    /**
     * netif_carrier_on/off for every link whose driver now wants another carrier, until nothing
     * changes (a veth's carrier moves a bridge's, a lower's its macvlans'); each change makes
     * linkwatch recompute that link's operstate.
     */
    void refreshCarriers() {
        // linkwatch runs after the drivers changed the carriers (veth_close turns both ends off
        // first), so a changed link's operstate is computed once this pass's carriers are set; and
        // linkwatch_do_dev() computes it (rfc2863_policy) BEFORE its NETDEV_CHANGE tells the stacked
        // devices, so a macvlan still has its old carrier when its lower's operstate is computed
        // (seed 251: a veth whose peer's index here is its own macvlan's stays DOWN, not LOWERLAYERDOWN)
        Set<FakeLink> changed = new LinkedHashSet<>();
        Set<FakeLink> computed = new HashSet<>();
        List<FakeLink> links = allLinks(); // carriers change here, links do not come or go
        for (int pass = 0; pass < 8; pass++) {
            boolean any = false;
            // links whose carrier the driver changed while they stay up: their bridge hears of it
            // only from linkwatch's NETDEV_CHANGE (br_device_event() -> br_port_carrier_check()),
            // sent once their own operstate is computed, so it keeps its carrier until then
            // (checked on 6.18, seed 4984: moving v1 away takes v2's carrier; v2's iflink, v1's
            // new index in B, is v2's bridge br0's number in A, and v2 is DOWN, not LOWERLAYERDOWN)
            Set<FakeLink> heardLater = new HashSet<>();
            List<FakeLink> bridgesLater = new ArrayList<>();
            for (FakeLink l : links) {
                boolean wanted = l.wantedCarrier();
                if (wanted != l.carrierOn) {
                    if (l.isBridge() && changesOnlyThrough(l, heardLater)) {
                        bridgesLater.add(l);
                        any = true;
                        continue;
                    }
                    setCarrier(l, wanted, changed, computed);
                    any = true;
                    if (l.adminUp && !l.adminAnnounce && l.masterIndex != 0) {
                        heardLater.add(l);
                    }
                }
            }
            for (FakeLink m : links) {
                FakeLink lower = m.parent;
                if ("macvlan".equals(m.kind) && lower != null && lower.announce && m.lowerCarrierSeen != lower.carrierOn) {
                    m.lowerCarrierSeen = lower.carrierOn; // macvlan_device_event(): netif_stacked_transfer_operstate()
                    any = true; // its carrier follows in the next pass
                    if (lower.adminAnnounce && m.wantedCarrier() != m.carrierOn) {
                        // unless the lower was opened or closed: NETDEV_UP / NETDEV_DOWN come inside the
                        // request (__dev_open() / __dev_close_many() after the driver set the carriers),
                        // before linkwatch computes any operstate, so every one it computes sees the
                        // macvlan's new carrier (checked on 6.18, seed 3953: ip -n A link set v1 netns B
                        // closes v1 and its macvlan mv0 loses its carrier; v1's peer v2, whose iflink is
                        // v1's new index, which is mv0's in A, is LOWERLAYERDOWN)
                        m.carrierOn = !m.carrierOn;
                        changed.add(m);
                        computed.remove(m);
                        m.announce |= m.adminUp;
                    }
                }
            }
            for (FakeLink lower : links) {
                lower.adminAnnounce = false;
                if (lower.announce) {
                    lower.announce = false;
                    // the macvlans' carriers are still the old ones: only lowerCarrierSeen moved above
                    if (changed.contains(lower) && computed.add(lower)) {
                        lower.storedOper = lower.defaultOperState();
                    }
                }
            }
            for (FakeLink bridge : bridgesLater) {
                boolean wanted = bridge.wantedCarrier();
                if (wanted != bridge.carrierOn) {
                    setCarrier(bridge, wanted, changed, computed);
                }
            }
            if (!any) {
                break;
            }
        }
        for (FakeLink l : links) {
            if (l.linkwatchEvent) {
                l.linkwatchEvent = false;
                changed.add(l);
                computed.remove(l);
            }
        }
        for (FakeLink l : changed) {
            if (!computed.contains(l)) {
                l.storedOper = l.defaultOperState();
            }
        }
    }

    /** netif_carrier_on/off: linkwatch will compute the operstate; a device that is up tells its stacked devices. */
    private static void setCarrier(FakeLink l, boolean on, Set<FakeLink> changed, Set<FakeLink> computed) {
        l.carrierOn = on;
        changed.add(l);
        computed.remove(l);
        l.announce |= l.adminUp; // linkwatch's NETDEV_CHANGE: only for a device that is up
    }

    /** Whether {@code bridge} would keep its carrier if its ports in {@code heardLater} still had their old one. */
    private static boolean changesOnlyThrough(FakeLink bridge, Set<FakeLink> heardLater) {
        List<FakeLink> ports = heardLater.stream().filter(p -> p.ns == bridge.ns && p.masterIndex == bridge.index).toList();
        if (ports.isEmpty()) {
            return false;
        }
        ports.forEach(p -> p.carrierOn = !p.carrierOn);
        try {
            return bridge.wantedCarrier() == bridge.carrierOn;
        } finally {
            ports.forEach(p -> p.carrierOn = !p.carrierOn);
        }
    }

    /** IFF_UP set or cleared, with what the stack does on NETDEV_UP / NETDEV_DOWN. */
    void setAdmin(FakeLink link, boolean up) {
        if (link.adminUp == up) {
            return;
        }
        link.adminUp = up;
        link.announce = true; // NETDEV_UP / NETDEV_DOWN reach its macvlans once the carriers are settled
        link.adminAnnounce = true;
        FakeNamespace ns = link.ns;
        if (up) {
            if (link.isLoopback()) {
                // inetdev_event(NETDEV_UP) gives loopback 127.0.0.1/8, addrconf ::1/128.
                addIfMissing(ns, link, IpPrefix.parse("127.0.0.1/8"), RouteScope.HOST);
                // init_loopback(); not below IPV6_MIN_MTU, where lo keeps its inet6_dev but gets no
                // ::1 (checked on 6.18: ip link set lo mtu 576; ip link set lo up shows 127.0.0.1 only)
                if (!ns.ipv6Disabled(link)) {
                    initLoopbackIpv6(ns, link);
                }
                if (link.mtu < IPV6_MIN_MTU) {
                    // addrconf_permanent_addr() cannot restore the routes of the addresses lo was given
                    // while down below IPV6_MIN_MTU and drops them (checked on 6.18: ip link set lo mtu
                    // 1279; ip addr add fd00::1/64 dev lo; ip link set lo up leaves no IPv6 address, with
                    // /128 and noprefixroute too; one added once lo is up stays; seed 358)
                    ns.addresses.removeIf(a -> a.link() == link && a.prefix().isIpv6());
                    ns.routes.removeIf(r -> r.link() == link && r.destination().isIpv6());
                    // addrconf_notify(NETDEV_UP) stops IPv6 on a device below IPV6_MIN_MTU with
                    // addrconf_ifdown(), whose neigh_ifdown(&nd_tbl) takes its IPv6 neighbours along;
                    // IPv4 ones stay (checked on 6.18, fuzzer seed 829)
                    ns.neighbors.removeIf(n -> n.link() == link && n.address() instanceof java.net.Inet6Address);
                }
            }
            for (FakeNamespace.Address a : List.copyOf(ns.addresses)) {
                if (a.link() == link) {
                    FakeIp.addPrefixRoute(ns, a);
                }
            }
        } else {
            // fib_disable_ip(): every IPv4 route through the device goes; addrconf_ifdown() with
            // keep_addr_on_down 0 removes the IPv6 addresses; neigh_ifdown() flushes the neighbours.
            ns.routes.removeIf(r -> r.link() == link);
            ns.addresses.removeIf(a -> a.link() == link && a.prefix().isIpv6());
            ns.neighbors.removeIf(n -> n.link() == link);
            link.ipv6Configured = false;
        }
    }

    /** init_loopback(): ::1 on an up lo that has IPv6, not below IPV6_MIN_MTU. */
    static void initLoopbackIpv6(FakeNamespace ns, FakeLink lo) {
        if (lo.adminUp && lo.hasIpv6 && lo.mtu >= IPV6_MIN_MTU) {
            addIfMissing(ns, lo, IpPrefix.parse("::1/128"), RouteScope.HOST);
        }
    }

    private static void addIfMissing(FakeNamespace ns, FakeLink link, IpPrefix p, RouteScope scope) {
        if (ns.addresses.stream().noneMatch(a -> a.link() == link && a.prefix().equals(p))) {
            ns.addresses.add(new FakeNamespace.Address(link, p, scope));
        }
    }

    /**
     * addrconf: once a device is up and has carrier (netif_oper_up) it gets its IPv6 link-local
     * address and the fe80::/64 route, unless addrgenmode is none or IPv6 is disabled on it.
     */
    void settle() {
        refreshCarriers();
        for (FakeNamespace ns : namespaces) {
            for (FakeLink l : ns.links.values()) {
                configureIpv6(ns, l);
            }
        }
    }

    /** The link-local address and fe80::/64 route of an up, oper-up link that has none yet. */
    private static void configureIpv6(FakeNamespace ns, FakeLink l) {
        if (l.adminUp && l.hasIpv6 && !l.ipv6Configured && !l.isLoopback() && l.isOperUp()) {
            l.ipv6Configured = true;
            boolean disabled = ns.ipv6Disabled(l);
            if (l.addrGenMode != Ipv6AddrGenMode.NONE && !disabled) {
                IpPrefix ll = IpPrefix.of(linkLocal(l), 64);
                ns.addresses.add(new FakeNamespace.Address(l, ll, RouteScope.LINK));
                FakeIp.addPrefixRoute(ns, new FakeNamespace.Address(l, ll, RouteScope.LINK));
            }
        }
    }

    /** fe80::/64 with the modified EUI-64 of the MAC (RFC 4291 appendix A); random modes get a random id. */
    private static InetAddress linkLocal(FakeLink l) {
        byte[] mac = l.addrGenMode == Ipv6AddrGenMode.EUI64 ? l.mac.bytes() : MacAddress.randomLocal().bytes();
        byte[] b = new byte[16];
        b[0] = (byte) 0xfe;
        b[1] = (byte) 0x80;
        b[8] = (byte) (mac[0] ^ 0x02);
        b[9] = mac[1];
        b[10] = mac[2];
        b[11] = (byte) 0xff;
        b[12] = (byte) 0xfe;
        b[13] = mac[3];
        b[14] = mac[4];
        b[15] = mac[5];
        return IpAddresses.fromBytes(b);
    }

    /**
     * dev_change_net_namespace(): the device is closed, leaves its bridge, loses its addresses,
     * routes, neighbours and FDB entries, keeps its index if that is free over there.
     */
    void move(FakeLink link, FakeNamespace target, String newName) {
        FakeNamespace from = link.ns;
        // vxlan_netdevice_event(NETDEV_UNREGISTER), which a move sends too: the vxlans made over
        // the device go (macvlans stay: macvlan_device_event() acts only when it really
        // unregisters). Checked on 6.18, fuzzer seed 59.
        for (FakeNamespace n : List.copyOf(namespaces)) {
            for (FakeLink l : List.copyOf(n.links.values())) {
                if (l.underlay == link) {
                    destroy(l);
                }
            }
        }
        setAdmin(link, false);
        release(link);
        // a vxlan's own FDB is the device's (vxlan->fdb_head) and goes with it (seed 71)
        List<FakeNamespace.Fdb> own = link.isVxlan() ? from.fdb.stream().filter(f -> f.link() == link && f.self()).toList() : List.of();
        forget(from, link);
        link.ucRefs.clear(); // dev_change_net_namespace(): dev_uc_flush()
        from.links.remove(link.index);
        if (target.links.containsKey(link.index)) {
            link.index = target.allocateIndex();
        }
        if (newName != null) {
            link.name = newName;
        }
        link.ns = target;
        target.links.put(link.index, link);
        target.fdb.addAll(own);
        FakeSysctls.initDevice(target, link);
        FakeLink other = link.peer != null ? link.peer : link.parent;
        if (other != null && other.ns != target) {
            target.nsidOf(other.ns);
            other.ns.nsidOf(target);
        }
    }

    /** Removes everything of {@code link} from {@code ns} but the device itself. */
    private static void forget(FakeNamespace ns, FakeLink link) {
        ns.addresses.removeIf(a -> a.link() == link);
        ns.routes.removeIf(r -> r.link() == link);
        ns.neighbors.removeIf(n -> n.link() == link);
        ns.fdb.removeIf(f -> f.link() == link || f.bridge() == link);
        ns.deviceSysctls.remove(link);
    }

    /** unregister_netdevice(): a veth takes its peer along, a lower device its macvlans and vxlans, a bridge frees its ports. */
    void destroy(FakeLink link) {
        FakeNamespace ns = link.ns;
        if (ns == null || ns.links.get(link.index) != link) {
            return;
        }
        ns.links.remove(link.index);
        link.adminUp = false;
        release(link);
        if (link.isBridge()) {
            for (FakeLink port : ns.links.values()) {
                if (port.masterIndex == link.index) {
                    FakeBridgePromisc.portRemoved(port, link); // br_dev_delete(): del_nbp() of each port
                    port.masterIndex = 0;
                }
            }
        }
        forget(ns, link);
        if (link.peer != null) {
            destroy(link.peer);
        }
        for (FakeNamespace other : List.copyOf(namespaces)) {
            for (FakeLink l : List.copyOf(other.links.values())) {
                if (l.parent == link || l.underlay == link) {
                    destroy(l);
                }
            }
        }
    }
}
