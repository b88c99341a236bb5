package dev.netlib.fake;

import dev.netlib.model.BridgeSpec;
import dev.netlib.model.FdbSpec;
import dev.netlib.value.MacAddress;
import java.util.List;

/**
 * Bridge ports' promiscuity and the bridge's static MACs in their unicast lists (net/bridge/br_if.c
 * br_manage_promisc(), net/bridge/br_fdb.c br_fdb_sync_static() and friends). A promiscuous port
 * (BR_PROMISC) needs no unicast filter; one that is not gets the MAC of every static entry of the
 * bridge's table in its unicast list, which {@code bridge fdb show} lists as the port's own {@code
 * self permanent} entries (ndo_dflt_fdb_dump()). Without vlan_filtering (or with the bridge itself
 * promiscuous, which the fake does not model) every port is promiscuous; with it, the only automatic
 * port (learning or flooding: every port of the fake, which always floods) is not, as long as it is
 * alone.
 *
 * <p>The unicast list counts references (__hw_addr_add_ex()): a MAC the port had already takes one
 * more from the bridge ({@link FakeLink#ucRefs}), and dev_uc_del() drops one, the entry going with
 * its last. A vxlan dumps its own table instead of that list, so its list is not modelled.
 */
final class FakeBridgePromisc {
    private FakeBridgePromisc() {}

    /** br_add_if(): nbp_update_port_count() manages every port, then a new port left with a unicast filter is synced. */
    static void portAdded(FakeLink port, FakeLink bridge) {
        manage(bridge);
        if (!port.bridgePromisc && hasUnicastFilter(port)) {
            syncStatic(bridge, port);
        }
    }

    /** del_nbp(): nbp_delete_promisc() unsyncs a port that was not promiscuous; the others' promiscuity is managed again. */
    static void portRemoved(FakeLink port, FakeLink bridge) {
        if (!port.bridgePromisc) {
            unsyncStatic(bridge, port);
        }
        port.bridgePromisc = false;
    }

    /** nbp_update_port_count() for a bridge that lost a port: its automatic-port count changed. */
    static void portsChanged(FakeLink bridge) {
        manage(bridge);
    }

    /** br_manage_promisc(). */
    private static void manage(FakeLink bridge) {
        List<FakeLink> ports = ports(bridge);
        boolean vlanFiltering = bridge.details instanceof BridgeSpec b && Boolean.TRUE.equals(b.vlanFiltering());
        for (FakeLink p : ports) {
            if (!vlanFiltering || ports.size() > 1) { // auto_cnt == 1 && br_auto_port(p) keeps a lone port filtering
                setPromisc(bridge, p);
            } else {
                clearPromisc(bridge, p);
            }
        }
    }

    /** br_port_set_promisc(): br_fdb_unsync_static() once, when the port becomes promiscuous. */
    private static void setPromisc(FakeLink bridge, FakeLink p) {
        if (!p.bridgePromisc) {
            unsyncStatic(bridge, p);
            p.bridgePromisc = true;
        }
    }

    /** br_port_clear_promisc(): only a promiscuous port with IFF_UNICAST_FLT leaves promiscuity, synced first. */
    private static void clearPromisc(FakeLink bridge, FakeLink p) {
        if (p.bridgePromisc && hasUnicastFilter(p)) {
            syncStatic(bridge, p);
            p.bridgePromisc = false;
        }
    }

    /** IFF_UNICAST_FLT: of the fake's kinds, a macvlan has it (macvlan_common_setup()); veth, vxlan and dummy do not. */
    private static boolean hasUnicastFilter(FakeLink p) {
        return "macvlan".equals(p.kind);
    }

    /** br_fdb_sync_static(): dev_uc_add() of every static entry's MAC, one per entry (each VLAN's too). */
    private static void syncStatic(FakeLink bridge, FakeLink p) {
        for (FakeNamespace.Fdb e : List.copyOf(p.ns.fdb)) {
            if (e.bridge() == bridge && FakeBridgeFdb.isStatic(e)) {
                ucAdd(p, e.mac());
            }
        }
    }

    /** br_fdb_unsync_static(): dev_uc_del() of every static entry's MAC, one per entry. */
    private static void unsyncStatic(FakeLink bridge, FakeLink p) {
        for (FakeNamespace.Fdb e : List.copyOf(p.ns.fdb)) {
            if (e.bridge() == bridge && FakeBridgeFdb.isStatic(e)) {
                ucDel(p, e.mac());
            }
        }
    }

    /** fdb_add_hw_addr(): a new static entry's MAC goes to the unicast list of every port that is not promiscuous. */
    static void addHwAddr(FakeLink bridge, MacAddress mac) {
        for (FakeLink p : ports(bridge)) {
            if (!p.bridgePromisc) {
                ucAdd(p, mac);
            }
        }
    }

    /** fdb_del_hw_addr(): the MAC of a static entry that went leaves those lists again. */
    static void delHwAddr(FakeLink bridge, MacAddress mac) {
        for (FakeLink p : ports(bridge)) {
            if (!p.bridgePromisc) {
                ucDel(p, mac);
            }
        }
    }

    /** dev_uc_add(): a new entry, or one more reference to the one the device has. */
    private static void ucAdd(FakeLink dev, MacAddress mac) {
        if (dev.isVxlan()) {
            return;
        }
        if (ownEntry(dev, mac) != null) {
            dev.ucRefs.merge(mac, 1, Integer::sum);
        } else {
            dev.ns.fdb.add(new FakeNamespace.Fdb(dev, mac, null, null, true, null, FdbSpec.State.PERMANENT, 0));
        }
    }

    /** dev_uc_del(): one reference less; the entry goes with its last. False when the device has no such entry. */
    static boolean ucDel(FakeLink dev, MacAddress mac) {
        if (dev.isVxlan()) {
            return false;
        }
        FakeNamespace.Fdb own = ownEntry(dev, mac);
        if (own == null) {
            return false;
        }
        Integer more = dev.ucRefs.get(mac);
        if (more != null) {
            if (more == 1) {
                dev.ucRefs.remove(mac);
            } else {
                dev.ucRefs.put(mac, more - 1);
            }
        } else {
            dev.ns.fdb.remove(own);
        }
        return true;
    }

    private static FakeNamespace.Fdb ownEntry(FakeLink dev, MacAddress mac) {
        return dev.ns.fdb.stream().filter(e -> e.self() && e.bridge() == null && e.link() == dev && e.mac().equals(mac))
                .findFirst().orElse(null);
    }

    private static List<FakeLink> ports(FakeLink bridge) {
        return bridge.ns.links.values().stream().filter(l -> l.masterIndex == bridge.index).toList();
    }
}
