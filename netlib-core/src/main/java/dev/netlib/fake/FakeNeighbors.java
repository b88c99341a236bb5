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

/** RTM_NEWNEIGH/DELNEIGH for ARP/NDP entries and for bridge FDB entries (AF_BRIDGE) on the fake. */
final class FakeNeighbors {
    private FakeNeighbors() {}

    static void set(FakeNamespace ns, SetNeighbor c, String op) {
        var n = c.neighbor();
        FakeLink link = ns.byName(n.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        if (IpAddresses.isIpv6(n.address()) && (!link.hasIpv6 || ns.ipv6Disabled(link))) {
            throw Fail.of(Errno.EINVAL, op, "IPv6 is disabled on this device");
        }
        InetAddress key = key(link, n.address());
        FakeNamespace.Neighbor existing = ns.neighbors.stream()
                .filter(e -> e.link() == link && e.address().equals(key)).findFirst().orElse(null);
        if (existing != null) {
            // neigh_add() looks the address up as given, so on lo another IPv4 address misses the
            // 0.0.0.0 entry and the create path updates that one instead of failing with EEXIST
            if (!c.replace() && key.equals(n.address())) {
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
     * Only creation maps the address: a lookup by the address as given (neigh_add()'s EEXIST
     * check, neigh_delete()) finds that entry only as 0.0.0.0 (checked on 6.18: {@code ip neigh del
     * 10.0.0.7 dev lo} after adding it fails with ENOENT, {@code ip neigh del 0.0.0.0 dev lo} works).
     */
    private static InetAddress key(FakeLink link, InetAddress address) {
        return link.isLoopback() && !IpAddresses.isIpv6(address) ? IpAddresses.parse("0.0.0.0") : address;
    }

    static void delete(FakeNamespace ns, DeleteNeighbor c, String op) {
        FakeLink link = ns.byName(c.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        boolean removed = ns.neighbors.removeIf(e -> e.link() == link && e.address().equals(c.address()));
        if (!removed) {
            throw Fail.of(Errno.ENOENT, op, null);
        }
    }

    /**
     * rtnl_fdb_add(): {@code master} on a bridge port goes to the bridge's table ({@link FakeBridgeFdb});
     * EOPNOTSUPP when the device is no bridge port. Then {@code self}: on a bridge the same table, the
     * entry pointing at no port (reported, like every entry of that table, with the bridge as
     * NDA_MASTER and without NTF_SELF); on a vxlan its forwarding table ({@link FakeVxlanFdb}); on other
     * devices their unicast list (ndo_dflt_fdb_add()), where {@code add} of a known MAC fails with
     * EEXIST and {@code append} or {@code replace} of one changes nothing. The bridge's part stays done
     * when the device's own fails. Checked on 6.18: {@code bridge fdb append M dev br0 self permanent}
     * twice works and shows {@code M dev br0 master br0 permanent}; appending M on a port then moves it.
     */
    static void add(FakeNamespace ns, AddFdb c, String op) {
        FdbSpec f = c.entry();
        FakeLink link = ns.byName(f.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        if (link.isLoopback()) {
            throw Fail.of(Errno.EINVAL, op, "FDB add only supported for Ethernet devices"); // rtnl_fdb_add(): ARPHRD_ETHER only
        }
        FakeLink bridge = link.masterIndex == 0 ? null : ns.links.get(link.masterIndex);
        if (f.master() && bridge == null) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null);
        }
        if (f.master()) {
            FakeBridgeFdb.add(ns, bridge, link, c, op);
        }
        if (!f.self()) {
            return;
        }
        if (link.isBridge()) {
            FakeBridgeFdb.add(ns, link, null, c, op);
        } else if (link.isVxlan()) {
            FakeVxlanFdb.add(ns, link, c, op);
        } else {
            addOwn(ns, link, c, op);
        }
    }

    /** ndo_dflt_fdb_add() (and macvlan_fdb_add()): the device's unicast list; NDA_DST and NDA_VNI mean nothing there. */
    private static void addOwn(FakeNamespace ns, FakeLink link, AddFdb c, String op) {
        FdbSpec f = c.entry();
        if (link.isMulticastOnlyMacvlan() && !f.mac().isMulticast()) {
            // macvlan_fdb_add() (checked on 6.18: bridge fdb add 02:00:00:00:00:0a dev mv0 self permanent on a
            // private-mode macvlan: "Operation not supported", whatever its state or NDA_DST)
            throw Fail.of(Errno.EOPNOTSUPP, op, null);
        }
        if (!f.permanent()) {
            throw Fail.of(Errno.EINVAL, op, null); // "FDB only supports static addresses"
        }
        if (f.vlan() != null) {
            throw Fail.of(Errno.EINVAL, op, null); // "vlans aren't supported yet for dev_uc|mc_add()"
        }
        boolean known = ns.fdb.stream().anyMatch(e -> e.self() && e.bridge() == null && e.link() == link && e.mac().equals(f.mac()));
        if (known && !c.append() && !c.replace()) {
            throw Fail.of(Errno.EEXIST, op, null);
        }
        // without NLM_F_EXCL a known MAC is no error: ndo_dflt_fdb_add() drops dev_uc_add_excl()'s EEXIST
        if (!known) {
            ns.fdb.add(new FakeNamespace.Fdb(link, f.mac(), null, null, true, null, f.state(), 0));
        }
    }

    static void delete(FakeNamespace ns, DeleteFdb c, String op) {
        FdbSpec f = c.entry();
        FakeLink link = ns.byName(f.device());
        if (link == null) {
            throw Fail.noDevice(op);
        }
        if (link.isLoopback()) {
            throw Fail.of(Errno.EINVAL, op, "FDB delete only supported for Ethernet devices"); // rtnl_fdb_del()
        }
        // rtnl_fdb_del(): EOPNOTSUPP unless the bridge (a port with NTF_MASTER, or no flags) or the
        // device itself (NTF_SELF) takes the request; each answers ENOENT for a missing entry.
        boolean handled = false;
        if ((f.master() || !f.self()) && link.masterIndex != 0) {
            FakeBridgeFdb.delete(ns, ns.links.get(link.masterIndex), link, f, op);
            handled = true;
        }
        if (f.self() && link.isBridge()) {
            FakeBridgeFdb.delete(ns, link, null, f, op); // the entry must point at no port
            handled = true;
        } else if (f.self() && link.isMulticastOnlyMacvlan() && !f.mac().isMulticast()) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null); // macvlan_fdb_del(), as macvlan_fdb_add() (seed 91)
        } else if (f.self() && link.isVxlan()) {
            FakeVxlanFdb.delete(ns, link, f, op);
            handled = true;
        } else if (f.self()) {
            // ndo_dflt_fdb_del(): dev_uc_del(), one reference of the unicast list; it ignores NDA_DST (seed 64)
            if (!FakeBridgePromisc.ucDel(link, f.mac())) {
                throw Fail.of(Errno.ENOENT, op, null);
            }
            handled = true;
        }
        if (!handled) {
            throw Fail.of(Errno.EOPNOTSUPP, op, null);
        }
    }
}
