package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.IfindexChoice;
import dev.netlib.spi.change.SetLink;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * RTM_NEWLINK / RTM_SETLINK / RTM_DELLINK on the fake. Each request is checked completely before
 * anything changes, so a refused request leaves no trace (the kernel's do_setlink may keep the
 * attributes it applied before the failing one; callers must not rely on either).
 */
final class FakeLinks {
    /** ETH_MIN_MTU / ETH_MAX_MTU: the range of veth, bridge, vxlan and macvlan devices. */
    static final int ETH_MIN_MTU = 68;
    static final int ETH_MAX_MTU = 65535;
    /** VXLAN_HEADROOM: outer IPv4 + UDP + VXLAN + inner Ethernet headers. */
    static final int VXLAN_HEADROOM = 50;
    static final int VXLAN6_HEADROOM = 70;
    /** The kernel's default VXLAN port (IANA assigned 4789 later). */
    static final int VXLAN_LINUX_PORT = 8472;

    private final FakeWorld world;

    FakeLinks(FakeWorld world) {
        this.world = world;
    }

    // ---- create -----------------------------------------------------------------------------

    void create(FakeNamespace ns, CreateLink c, String op) {
        LinkAttributes a = c.attributes();
        FakeNamespace home = a.netns() != null ? world.resolve(a.netns()) : ns;
        // The Linux backend sends ifindexes, so it looks up every link name the request refers to
        // before the kernel sees it: a missing one is ENODEV even when the new name is taken.
        for (String used : namesUsed(c)) {
            if (ns.byName(used) == null) {
                throw Fail.noDevice(op);
            }
        }
        // likewise a veth peer's master in the peer's own namespace (looked up there by its session)
        if (c.kind() instanceof VethSpec v && v.peer().netns() != null && v.peer().master() != null
                && world.resolve(v.peer().netns()).byName(v.peer().master()) == null) {
            throw Fail.noDevice(op);
        }
        if (home.byName(c.name()) != null) {
            throw Fail.of(Errno.EEXIST, op, null);
        }
        Born born = c.kind().accept(new LinkKindSpec.Visitor<Born>() {
            @Override
            public Born bridge(BridgeSpec b) {
                boolean vlanFiltering = b.vlanFiltering() != null && b.vlanFiltering();
                if (vlanFiltering && !world.bridgeVlanFiltering) {
                    // br_vlan_filter_toggle() without CONFIG_BRIDGE_VLAN_FILTERING (checked on 6.18:
                    // ip link add br0 type bridge vlan_filtering 1 is "Operation not supported")
                    throw Fail.of(Errno.EOPNOTSUPP, op, null);
                }
                FakeLink link = new FakeLink("bridge", 1500, ETH_MIN_MTU, ETH_MAX_MTU);
                link.details = new BridgeSpec(b.stp() != null && b.stp(), vlanFiltering);
                link.defaultPvid = world.bridgeVlanFiltering ? 1 : 0; // br_vlan_init()
                return new Born(link, null, null, null);
            }

            @Override
            public Born dummy(DummySpec d) {
                // dummy_setup(): min_mtu 0 and max_mtu 0, i.e. no upper bound.
                FakeLink link = new FakeLink("dummy", 1500, 0, 0);
                link.details = d;
                return new Born(link, null, null, null);
            }

            @Override
            public Born veth(VethSpec v) {
                FakeLink link = new FakeLink("veth", 1500, ETH_MIN_MTU, ETH_MAX_MTU);
                LinkAttributes peerAttrs = v.peer();
                // veth_newlink(): the peer is born in the requester's namespace unless it names its own.
                FakeNamespace peerHome = peerAttrs.netns() != null ? world.resolve(peerAttrs.netns()) : ns;
                String peerName = v.peerName() != null ? v.peerName() : world.freeName(peerHome, "veth");
                if (peerHome.byName(peerName) != null || peerHome == home && peerName.equals(c.name())) {
                    throw Fail.of(Errno.EEXIST, op, null);
                }
                FakeLink peer = new FakeLink("veth", 1500, ETH_MIN_MTU, ETH_MAX_MTU);
                peer.name = peerName;
                peer.details = v;
                checkAttributes(peerHome, peer, peerAttrs, op);
                link.details = v;
                return new Born(link, peer, peerHome, peerAttrs);
            }

            @Override
            public Born vxlan(VxlanSpec x) {
                FakeLink vxlan = newVxlan(ns, home, x, a, op);
                vxlan.linkNet = ns; // vxlan_newlink(): vxlan->net is the requester's namespace
                return new Born(vxlan, null, null, null);
            }

            @Override
            public Born macvlan(MacvlanSpec m) {
                return new Born(newMacvlan(ns, m, a, op), null, null, null);
            }
        });
        FakeLink link = born.link();
        FakeLink peer = born.peer();
        FakeNamespace peerHome = born.peerHome();
        LinkAttributes peerAttrs = born.peerAttrs();
        link.name = c.name();
        checkAttributes(home, link, a, op);

        // The indexes LinuxBackend asks for when it creates this (IfindexChoice), honoured as
        // register_netdevice() honours a requested one: EBUSY when taken, checked before anything
        // is registered. A veth's peer takes the lower one, as when the kernel picks both.
        int peerIndex = 0;
        int selfIndex = 0;
        if (IfindexChoice.wanted(c)) {
            peerIndex = peer != null ? world.chosenIndexes.next() : 0;
            selfIndex = world.chosenIndexes.next();
            if (home.links.containsKey(selfIndex) || peer != null && peerHome.links.containsKey(peerIndex)) {
                throw Fail.of(Errno.EBUSY, op, null);
            }
        }
        // veth_newlink(): the peer is registered first, so it gets the lower ifindex (vp0 = 2, v1 = 3)
        if (peer != null) {
            world.register(peerHome, peer, peerAttrs, peerIndex);
        }
        world.register(home, link, a, selfIndex);
        if (link.isVxlan()) {
            FakeVxlanFdb.addDefaultRemote(home, link);
        }
        if (peer != null) {
            link.peer = peer;
            peer.peer = link;
            if (home != peerHome) {
                home.nsidOf(peerHome);
                peerHome.nsidOf(home);
            }
        }
        if (link.parent != null && link.parent.ns != home) {
            home.nsidOf(link.parent.ns);
        }
        if ("macvlan".equals(link.kind)) {
            // macvlan_common_newlink(): netif_stacked_transfer_operstate() gives it the lower's
            // carrier and linkwatch_fire_event() has its operstate computed now; opening it later
            // changes neither (checked on 6.18: a macvlan made on a down veth whose lower then
            // moves away stays LOWERLAYERDOWN when brought up; one on a down vxlan comes up UP)
            link.lowerCarrierSeen = link.parent.carrierOn;
            link.carrierOn = link.lowerCarrierSeen;
            link.storedOper = link.defaultOperState();
        }
        if (peer != null) {
            // veth_newlink(): netif_carrier_off() on both ends; linkwatch computes their operstate now
            link.carrierOn = false;
            peer.carrierOn = false;
            link.storedOper = link.defaultOperState();
            peer.storedOper = peer.defaultOperState();
        }
        applyAfterRegister(link, a);
        if (peer != null) {
            applyAfterRegister(peer, peerAttrs);
        }
        world.settle();
    }

    private FakeLink newVxlan(FakeNamespace ns, FakeNamespace home, VxlanSpec x, LinkAttributes a, String op) {
        if (x.vni() < 0 || x.vni() > VxlanSpec.MAX_VNI) {
            throw Fail.of(Errno.ERANGE, op, "VXLAN ID must be lower than 16777216");
        }
        int mtu = 1500;
        FakeLink lower = null;
        boolean v6 = x.remote() != null ? IpAddresses.isIpv6(x.remote())
                : x.group() != null ? IpAddresses.isIpv6(x.group()) : x.local() != null && IpAddresses.isIpv6(x.local());
        if (x.device() != null) {
            lower = ns.byName(x.device());
            if (lower == null) {
                throw Fail.noDevice(op);
            }
            // vxlan_config_apply(): the tunnel fits inside the underlay's MTU.
            // not below ETH_MIN_MTU however small the underlay's (checked on 6.18, fuzzer seed 53)
            mtu = Math.max(ETH_MIN_MTU, lower.mtu - (v6 ? VXLAN6_HEADROOM : VXLAN_HEADROOM));
            if (a.mtu() != null && a.mtu() > mtu) {
                throw Fail.of(Errno.EINVAL, op, null);
            }
        }
        int port = x.port() != null ? x.port() : VXLAN_LINUX_PORT;
        // vxlan_config_validate(): one device per VNI, destination port and address family among
        // the devices of vxlan_net(src_net): those made from this namespace, wherever they are now.
        for (FakeLink other : world.allLinks()) {
            if (other.linkNet == ns && other.details instanceof VxlanSpec o && o.vni() == x.vni() && Objects.equals(o.port(), port)
                    && other.vxlanIpv6 == v6) {
                throw Fail.of(Errno.EEXIST, op, "A VXLAN device with the specified VNI already exists");
            }
        }
        FakeLink link = new FakeLink("vxlan", mtu, ETH_MIN_MTU, ETH_MAX_MTU);
        link.underlay = lower;
        link.vxlanIpv6 = v6;
        // What a dump reports: unset flags have the kernel's defaults (learning on, ttl 0 = inherit).
        link.details = new VxlanSpec(x.vni(), x.local(), x.remote(), x.group(), port, x.device(),
                x.learning() == null || x.learning(), x.proxy() != null && x.proxy(),
                x.l2miss() != null && x.l2miss(), x.l3miss() != null && x.l3miss(), x.ttl() == null ? 0 : x.ttl());
        return link;
    }

    private static FakeLink newMacvlan(FakeNamespace ns, MacvlanSpec m, LinkAttributes a, String op) {
        if (m.parent() == null) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        FakeLink lower = ns.byName(m.parent());
        if (lower == null) {
            throw Fail.noDevice(op);
        }
        if ("macvlan".equals(lower.kind)) {
            lower = lower.parent; // macvlan_common_newlink(): a macvlan on a macvlan sits on the real device
        }
        if (lower.isLoopback()) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        FakeLink link = new FakeLink("macvlan", lower.mtu, ETH_MIN_MTU, ETH_MAX_MTU);
        link.parent = lower;
        link.details = new MacvlanSpec(lower.name, m.mode() != null ? m.mode() : MacvlanMode.VEPA);
        if (a.mtu() != null && a.mtu() > lower.mtu) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        if (lower.masterIndex != 0) {
            // macvlan_port_create(): a bridge port's rx_handler is the bridge's (netdev_is_rx_handler_busy)
            throw Fail.of(Errno.EBUSY, op, null);
        }
        return link;
    }

    /** rtnl_configure_link(): master and IFF_UP come after the device is registered. */
    private void applyAfterRegister(FakeLink link, LinkAttributes a) {
        if (a.master() != null) {
            world.enslave(link, link.ns.byName(a.master()));
        }
        if (a.hairpin() != null) {
            link.hairpin = a.hairpin(); // the follow-up on the new port (the builder requires a master)
        }
        if (a.learning() != null) {
            link.learning = a.learning();
        }
        if (Boolean.TRUE.equals(a.up())) {
            world.setAdmin(link, true);
        }
    }

    /** Checks MTU, master and MAC of a link about to get {@code a} in {@code home}. */
    private void checkAttributes(FakeNamespace home, FakeLink link, LinkAttributes a, String op) {
        if (a.mtu() != null) {
            checkMtu(link, a.mtu(), op);
        }
        if (a.mac() != null && (a.mac().isMulticast() || a.mac().isZero())) {
            throw Fail.of(Errno.EADDRNOTAVAIL, op, null);
        }
        if (a.master() != null) {
            checkMaster(home, link, a.master(), op);
        }
    }

    /** dev_validate_mtu()'s range check: within the device's min_mtu and max_mtu (0: no maximum). */
    static boolean mtuInRange(FakeLink link, int mtu) {
        return mtu >= 0 && mtu >= link.minMtu && (link.maxMtu == 0 || mtu <= link.maxMtu);
    }

    static void checkMtu(FakeLink link, int mtu, String op) {
        // dev_validate_mtu()
        if (mtu < 0 || mtu < link.minMtu) {
            throw Fail.of(Errno.EINVAL, op, "mtu less than device minimum");
        }
        if (link.maxMtu > 0 && mtu > link.maxMtu) {
            throw Fail.of(Errno.EINVAL, op, "mtu greater than device maximum");
        }
        if (link.parent != null && mtu > link.parent.mtu) {
            throw Fail.of(Errno.EINVAL, op, null); // macvlan_change_mtu(): not above the lower device
        }
        if (link.underlay != null && mtu > link.underlay.mtu - (link.vxlanIpv6 ? VXLAN6_HEADROOM : VXLAN_HEADROOM)) {
            throw Fail.of(Errno.EINVAL, op, null); // vxlan_change_mtu(): the tunnel must fit in the underlay
        }
    }

    private void checkMaster(FakeNamespace home, FakeLink link, String masterName, String op) {
        FakeLink master = home.byName(masterName);
        if (master == null) {
            throw Fail.noDevice(op);
        }
        // enslaving a link to itself is no special case: a vxlan is no master (EOPNOTSUPP), a
        // bridge is refused as a bridge port (ELOOP)
        if (!master.isBridge()) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null); // do_set_master(): no ndo_add_slave
        }
        // br_add_if(): not an Ethernet device, or no valid MAC (a bridge whose last port left has
        // 00:00:00:00:00:00), comes before the bridge check (checked on 6.18, fuzzer seed 49)
        if (link.isLoopback() || link.mac != null && (link.mac.isZero() || link.mac.isMulticast())) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        if (link.isBridge()) {
            throw Fail.of(Errno.ELOOP, op, "Can not enslave a bridge to a bridge"); // br_add_if()
        }
        // br_add_if(): netdev_rx_handler_register() finds a macvlan port's handler on a device that
        // carries macvlans, and netdev_master_upper_dev_link() refuses a loop (the bridge already
        // has the link among its uppers: a macvlan on the bridge, directly or through a bridge it
        // is a port of); both EBUSY
        for (FakeLink l : world.allLinks()) {
            if (l.parent == link && "macvlan".equals(l.kind)) {
                throw Fail.of(Errno.EBUSY, op, null);
            }
        }
        if (reachesDown(link, master, new HashSet<>())) {
            throw Fail.of(Errno.EBUSY, op, null);
        }
    }

    /** True when {@code target} is below {@code from}: its macvlan or vxlan lower, a port of it, and so on down. */
    private static boolean reachesDown(FakeLink from, FakeLink target, Set<FakeLink> seen) {
        if (from == target) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        if (from.parent != null && "macvlan".equals(from.kind) && reachesDown(from.parent, target, seen)) {
            return true;
        }
        // vxlan_dev_configure(): a vxlan with a device is that device's upper too (seed 72)
        if (from.underlay != null && reachesDown(from.underlay, target, seen)) {
            return true;
        }
        if (from.isBridge() && from.ns != null) {
            for (FakeLink port : from.ns.links.values()) {
                if (port.masterIndex == from.index && reachesDown(port, target, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- set --------------------------------------------------------------------------------

    void set(FakeNamespace ns, SetLink s, String op) {
        FakeLink link = ns.byName(s.name());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        LinkAttributes a = s.changes();
        FakeNamespace target = a.netns() != null ? world.resolve(a.netns()) : ns;
        String finalName = s.newName() != null ? s.newName() : link.name;
        if (target != ns) {
            if (link.isLoopback() || link.isBridge()) {
                throw Fail.of(Errno.EINVAL, op, "The interface netns is immutable"); // NETIF_F_NETNS_LOCAL
            }
            if (target.byName(finalName) != null) {
                throw Fail.of(Errno.EEXIST, op, "An interface with the same name exists in the target netns");
            }
        } else if (!finalName.equals(link.name) && ns.byName(finalName) != null) {
            throw Fail.of(Errno.EEXIST, op, null);
        }
        if (a.mac() != null && (a.mac().isMulticast() || a.mac().isZero())) {
            throw Fail.of(Errno.EADDRNOTAVAIL, op, null);
        }
        if (a.mtu() != null && a.mtu() != link.mtu) {
            // netif_set_mtu_ext() returns 0 for the MTU a device has before it validates anything:
            // a vxlan keeps an MTU its shrunken underlay no longer allows, and setting it again is
            // fine (checked on 6.18, fuzzer seed 607)
            checkMtu(link, a.mtu(), op);
        }
        if (a.master() != null) {
            try {
                checkMaster(target, link, a.master(), op);
            } catch (KernelException e) {
                // do_set_master(): the old master lets the link go (ndo_del_slave) before the new
                // one is tried, so a refused change of master leaves it with none (checked on
                // 6.18, fuzzer seed 50); a missing master is refused before the kernel sees it
                FakeLink old = link.masterIndex == 0 ? null : link.ns.links.get(link.masterIndex);
                if (old != null && e.errno().number() != Errno.ENODEV.number() && !old.name.equals(a.master())) {
                    world.release(link);
                    world.settle();
                }
                throw e;
            }
        }
        if (a.txQueueLength() != null && a.txQueueLength() < 0) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        if (a.hasBridgePortFlags() && a.master() == null && (s.noMaster() || link.masterIndex == 0)) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null); // rtnl_newlink(): slave data needs a master's slave_changelink
        }

        // do_setlink() order: namespace, address, MTU, group, name, master, flags, txqlen, af spec.
        if (target != ns) {
            world.move(link, target, s.newName());
        }
        if (a.mac() != null) {
            boolean changed = !a.mac().equals(link.mac);
            link.mac = a.mac();
            link.macSetByUser = true;
            if (changed) {
                world.macChanged(link);
                world.bridgeIdChanged(link); // br_set_mac_address()
            }
            world.portsChanged(link);
        }
        if (a.mtu() != null && a.mtu() != link.mtu) {
            // dev_set_mtu() returns at once for the MTU a device already has: no ndo_change_mtu, so
            // a bridge does not take it as set by the user (br_change_mtu sets
            // BROPT_MTU_SET_BY_USER) and keeps following its ports; no NETDEV_CHANGEMTU either
            link.mtu = a.mtu();
            if (link.isBridge()) {
                link.mtuSetByUser = true;
            }
            world.mtuChanged(link);
            world.portsChanged(link);
        }
        if (a.group() != null) {
            link.group = a.group();
        }
        if (s.newName() != null) {
            link.name = s.newName();
        }
        if (s.noMaster()) {
            world.release(link);
        }
        if (a.master() != null) {
            world.enslave(link, target.byName(a.master()));
        }
        if (a.up() != null) {
            world.setAdmin(link, a.up());
        }
        if (a.txQueueLength() != null) {
            link.txQueueLength = a.txQueueLength();
        }
        if (a.addrGenMode() != null) {
            link.addrGenMode = a.addrGenMode();
        }
        if (a.hairpin() != null) {
            link.hairpin = a.hairpin();
        }
        if (a.learning() != null) {
            link.learning = a.learning();
        }
        world.settle();
    }

    // ---- delete -----------------------------------------------------------------------------

    void delete(FakeNamespace ns, DeleteLink d, String op) {
        FakeLink link = ns.byName(d.name());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        if (link.isLoopback()) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null); // no rtnl_link_ops->dellink
        }
        world.destroy(link);
        world.settle();
    }

    void deleteGroup(FakeNamespace ns, DeleteLinkGroup d, String op) {
        // rtnl_group_dellink(): ENODEV when no device has the group, EOPNOTSUPP before deleting
        // anything if one of them cannot be deleted.
        List<FakeLink> members = new ArrayList<>();
        for (FakeLink l : ns.links.values()) {
            if (l.group == d.group()) {
                if (l.isLoopback()) {
                    throw Fail.of(Errno.EOPNOTSUPP, op, null);
                }
                members.add(l);
            }
        }
        if (members.isEmpty()) {
            throw Fail.noDevice(op);
        }
        for (FakeLink l : members) {
            if (l.ns != null && l.ns.links.get(l.index) == l) {
                world.destroy(l);
            }
        }
        world.settle();
    }

    static MacAddress newMac() {
        return MacAddress.randomLocal();
    }

    /** What a create makes: the link, and for a veth its peer with the peer's namespace and attributes. */
    private record Born(FakeLink link, FakeLink peer, FakeNamespace peerHome, LinkAttributes peerAttrs) {}

    /** Names of existing links a create refers to (master, macvlan parent, vxlan device, same-namespace veth peer's master). */
    private static List<String> namesUsed(CreateLink c) {
        List<String> out = new ArrayList<>();
        if (c.attributes().master() != null) {
            out.add(c.attributes().master());
        }
        String other = c.kind().accept(new LinkKindSpec.Visitor<String>() {
            @Override
            public String bridge(BridgeSpec s) {
                return null;
            }

            @Override
            public String veth(VethSpec v) {
                return v.peer().netns() == null ? v.peer().master() : null;
            }

            @Override
            public String vxlan(VxlanSpec x) {
                return x.device();
            }

            @Override
            public String macvlan(MacvlanSpec m) {
                return m.parent();
            }

            @Override
            public String dummy(DummySpec d) {
                return null;
            }
        });
        if (other != null) {
            out.add(other);
        }
        return out;
    }
}
