package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.model.FdbSpec;
import dev.netlib.spi.change.AddFdb;
import java.util.ArrayList;
import java.util.List;

/**
 * A bridge's forwarding database (net/bridge/br_fdb.c), as rows of {@link FakeNamespace#fdb} with
 * {@code bridge} set: one entry per MAC and VLAN id (br_fdb_find()), pointing at a port or, added
 * with {@code self} on the bridge, at no port (the row's link is then the bridge). An add or delete
 * that names no VLAN also acts on every VLAN of the device's VLAN group ({@link #vlanGroup}); one
 * that names a VLAN acts on that one only.
 */
final class FakeBridgeFdb {
    private FakeBridgeFdb() {}

    /**
     * The VLAN group of the bridge and of each of its ports: with CONFIG_BRIDGE_VLAN_FILTERING the
     * default PVID 1, which br_vlan_bridge_event(NETDEV_REGISTER) gives the bridge and nbp_vlan_init()
     * every new port, whether vlan_filtering is on or not; without it no group at all (nbp_vlan_group()
     * is NULL). The fake has no {@code bridge vlan add}, so the group is never more than that.
     */
    static List<Integer> vlanGroup(FakeLink bridge) {
        return bridge.defaultPvid == 0 ? List.of() : List.of(bridge.defaultPvid);
    }

    /**
     * br_fdb_add() for {@code port}, or for the bridge itself when {@code port} is null: EINVAL for the
     * all-zeros MAC and for a VLAN the group lacks ("RTM_NEWNEIGH with unconfigured vlan"); then
     * fdb_add_entry() on VLAN 0 and each VLAN of the group, or on the VLAN named, stopping at the first
     * refusal (what was written before it stays). fdb_add_entry(): a port that cannot learn takes only
     * local and static entries (EPERM), the bridge only local ones (EINVAL, "without NUD_PERMANENT"); a
     * known (MAC, VLAN) fails with EEXIST under NLM_F_EXCL ({@code add}), else it is moved to the port
     * and takes the state. Checked on 6.18: {@code bridge fdb add M dev br0 self static} is EINVAL.
     */
    static void add(FakeNamespace ns, FakeLink bridge, FakeLink port, AddFdb c, String op) {
        FdbSpec f = c.entry();
        if (f.mac().isZero()) {
            throw Fail.of(Errno.EINVAL, op, null); // "RTM_NEWNEIGH with invalid ether address"
        }
        List<Integer> group = vlanGroup(bridge);
        if (f.vlan() != null && !group.contains(f.vlan())) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        List<Integer> vids = new ArrayList<>();
        if (f.vlan() != null) {
            vids.add(f.vlan());
        } else {
            vids.add(0);
            vids.addAll(group);
        }
        for (int vid : vids) {
            addEntry(ns, bridge, port, c, vid, op);
        }
    }

    private static void addEntry(FakeNamespace ns, FakeLink bridge, FakeLink port, AddFdb c, int vid, String op) {
        FdbSpec f = c.entry();
        if (port != null && f.state() == FdbSpec.State.DYNAMIC && !port.portForwarding()) {
            // not LEARNING or FORWARDING: its bridge or itself down, or no carrier (checked on 6.18)
            throw Fail.of(Errno.EPERM, op, null);
        }
        if (port == null && f.state() != FdbSpec.State.PERMANENT) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        FakeNamespace.Fdb known = find(ns, bridge, f, vid);
        if (known != null && !c.append() && !c.replace()) {
            throw Fail.of(Errno.EEXIST, op, null);
        }
        FakeNamespace.Fdb entry = new FakeNamespace.Fdb(port != null ? port : bridge, f.mac(), null, null, false, bridge, f.state(), vid);
        boolean wasStatic = known != null && isStatic(known);
        if (known == null) {
            ns.fdb.add(entry);
        } else {
            ns.fdb.set(ns.fdb.indexOf(known), entry);
        }
        // fdb_add_entry(): an entry that becomes static or stops being static goes to or leaves the
        // unicast lists of the ports that are not promiscuous (fdb_add_hw_addr(), fdb_del_hw_addr())
        if (isStatic(entry) && !wasStatic) {
            FakeBridgePromisc.addHwAddr(bridge, f.mac());
        } else if (!isStatic(entry) && wasStatic) {
            FakeBridgePromisc.delHwAddr(bridge, f.mac());
        }
    }

    /**
     * br_fdb_delete() for {@code port}, or for the bridge itself when {@code port} is null: with a VLAN
     * that (MAC, VLAN) if it points at the device (__br_fdb_delete(), ENOENT otherwise); without one
     * VLAN 0 and each VLAN of the group, ENOENT only when none of them went. Checked on 6.18 (no
     * VLAN filtering built in): {@code bridge fdb del M dev br0 self vlan 1} is ENOENT.
     */
    static void delete(FakeNamespace ns, FakeLink bridge, FakeLink port, FdbSpec f, String op) {
        List<Integer> vids = new ArrayList<>();
        if (f.vlan() != null) {
            vids.add(f.vlan());
        } else {
            vids.add(0);
            vids.addAll(vlanGroup(bridge));
        }
        FakeLink target = port != null ? port : bridge;
        boolean removed = false;
        for (int vid : vids) {
            FakeNamespace.Fdb e = find(ns, bridge, f, vid);
            if (e != null && e.link() == target) { // fdb_delete_by_addr_and_port()
                remove(ns, e);
                removed = true;
            }
        }
        if (!removed) {
            throw Fail.of(Errno.ENOENT, op, null);
        }
    }

    /** fdb_delete(): the entry goes, and a static one leaves the unicast lists of non-promiscuous ports. */
    static void remove(FakeNamespace ns, FakeNamespace.Fdb e) {
        ns.fdb.remove(e);
        if (isStatic(e)) {
            FakeBridgePromisc.delHwAddr(e.bridge(), e.mac());
        }
    }

    /** BR_FDB_STATIC: a local (permanent) or static entry; a dynamic one ages out. */
    static boolean isStatic(FakeNamespace.Fdb e) {
        return e.state() != FdbSpec.State.DYNAMIC;
    }

    private static FakeNamespace.Fdb find(FakeNamespace ns, FakeLink bridge, FdbSpec f, int vid) {
        return ns.fdb.stream().filter(e -> e.bridge() == bridge && e.mac().equals(f.mac()) && e.vlan() == vid).findFirst().orElse(null);
    }
}
