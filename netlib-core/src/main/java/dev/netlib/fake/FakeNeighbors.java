package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.NeighborState;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.SetNeighbor;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.util.Objects;

/** RTM_NEWNEIGH/DELNEIGH for ARP/NDP entries and for bridge FDB entries (AF_BRIDGE) on the fake. */
final class FakeNeighbors {
    private FakeNeighbors() {}

    static void set(FakeNamespace ns, SetNeighbor c, String op) {
        var n = c.neighbor();
        FakeLink link = ns.byName(n.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        if (IpAddresses.isIpv6(n.address()) && (!link.hasIpv6 || "1".equals(ns.deviceSysctls.get(link).get("ipv6.disable_ipv6")))) {
            throw Fail.of(Errno.EINVAL, op, "IPv6 is disabled on this device");
        }
        InetAddress key = key(link, n.address());
        FakeNamespace.Neighbor existing = ns.neighbors.stream()
                .filter(e -> e.link() == link && e.address().equals(key)).findFirst().orElse(null);
        if (existing != null) {
            if (!c.replace()) {
                throw Fail.of(Errno.EEXIST, op, null);
            }
            ns.neighbors.remove(existing);
        }
        NeighborState state = n.state() != null ? n.state() : NeighborState.PERMANENT;
        ns.neighbors.add(new FakeNamespace.Neighbor(link, key, n.mac(), state));
    }

    /**
     * The key the neighbour table files an address under: arp_hashfn()/arp_key_eq() use
     * INADDR_ANY for every IPv4 neighbour of a loopback device, so lo has one ARP entry, 0.0.0.0.
     */
    private static InetAddress key(FakeLink link, InetAddress address) {
        return link.isLoopback() && !IpAddresses.isIpv6(address) ? IpAddresses.parse("0.0.0.0") : address;
    }

    static void delete(FakeNamespace ns, DeleteNeighbor c, String op) {
        FakeLink link = ns.byName(c.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        InetAddress key = key(link, c.address());
        boolean removed = ns.neighbors.removeIf(e -> e.link() == link && e.address().equals(key));
        if (!removed) {
            throw Fail.of(Errno.ENOENT, op, null);
        }
    }

    /**
     * {@code master}: the bridge's table, keyed by MAC (one entry per MAC, vlan 0); EOPNOTSUPP when
     * the device is no bridge port. {@code self}: the device's own table; a vxlan keeps one entry
     * per (MAC, remote), where {@code append} adds another remote and {@code add} of a known MAC
     * fails with EEXIST; {@code replace} takes the place of the MAC's entries (vxlan_fdb_update()
     * with NLM_F_REPLACE, br_fdb_add() for master).
     */
    static void add(FakeNamespace ns, AddFdb c, String op) {
        FdbSpec f = c.entry();
        FakeLink link = ns.byName(f.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        if (c.replace()) {
            FakeLink br = link.masterIndex == 0 ? null : ns.links.get(link.masterIndex);
            if (f.master() && br == null) {
                throw Fail.of(Errno.EOPNOTSUPP, op, null);
            }
            ns.fdb.removeIf(e -> e.mac().equals(f.mac())
                    && ((f.self() && e.self() && e.link() == link) || (f.master() && e.bridge() != null && e.bridge() == br)));
        }
        FakeLink bridge = null;
        if (f.master()) {
            bridge = link.masterIndex == 0 ? null : ns.links.get(link.masterIndex);
            if (bridge == null) {
                throw Fail.of(Errno.EOPNOTSUPP, op, null);
            }
            if (f.mac().isZero()) {
                throw Fail.of(Errno.EINVAL, op, null); // br_fdb_add(): "RTM_NEWNEIGH with invalid ether address"
            }
            FakeLink br = bridge;
            if (ns.fdb.stream().anyMatch(e -> e.bridge() == br && e.mac().equals(f.mac()))) {
                throw Fail.of(Errno.EEXIST, op, null);
            }
        }
        if (f.self() && link.isBridge() && f.mac().isZero()) {
            throw Fail.of(Errno.EINVAL, op, null); // br_fdb_add() on the bridge itself, as for a port
        }
        if (f.self() && !link.isVxlan() && !link.isBridge() && !f.permanent()) {
            throw Fail.of(Errno.EINVAL, op, null); // ndo_dflt_fdb_add(): "FDB only supports static addresses"
        }
        if (f.self() && link.isVxlan() && f.destination() == null
                && link.details instanceof dev.netlib.model.VxlanSpec x && x.remote() == null && x.group() == null) {
            throw Fail.of(Errno.EINVAL, op, null); // vxlan_fdb_parse(): no destination and no default remote
        }
        if (f.self()) {
            boolean clash = ns.fdb.stream().anyMatch(e -> e.self() && e.link() == link && e.mac().equals(f.mac())
                    && (!c.append() || !link.isVxlan() || Objects.equals(e.destination(), f.destination())));
            if (clash) {
                throw Fail.of(Errno.EEXIST, op, null);
            }
        }
        // NDA_DST and NDA_VNI mean something to a vxlan only: the bridge (br_fdb_add) and the
        // default table of other devices (ndo_dflt_fdb_add) ignore them
        if (f.master()) {
            ns.fdb.add(new FakeNamespace.Fdb(link, f.mac(), null, null, false, bridge, f.state()));
        }
        if (f.self()) {
            boolean vxlan = link.isVxlan();
            ns.fdb.add(new FakeNamespace.Fdb(link, f.mac(), vxlan ? f.destination() : null, vxlan ? f.vni() : null, true, null,
                    f.state()));
        }
    }

    static void delete(FakeNamespace ns, DeleteFdb c, String op) {
        FdbSpec f = c.entry();
        FakeLink link = ns.byName(f.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        // rtnl_fdb_del(): EOPNOTSUPP unless the bridge (a port with NTF_MASTER, or no flags) or the
        // device itself (NTF_SELF) takes the request; each answers ENOENT for a missing entry.
        boolean handled = false;
        if ((f.master() || !f.self()) && link.masterIndex != 0) {
            if (!ns.fdb.removeIf(e -> e.bridge() != null && e.link() == link && e.mac().equals(f.mac()))) {
                throw Fail.of(Errno.ENOENT, op, null);
            }
            handled = true;
        }
        if (f.self()) {
            if (!ns.fdb.removeIf(e -> e.self() && e.link() == link && e.mac().equals(f.mac())
                    && (f.destination() == null || f.destination().equals(e.destination())))) {
                throw Fail.of(Errno.ENOENT, op, null);
            }
            handled = true;
        }
        if (!handled) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null);
        }
    }
}
