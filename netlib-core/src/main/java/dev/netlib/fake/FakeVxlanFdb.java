package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * A vxlan's own forwarding table (vxlan->fdb_head, drivers/net/vxlan/vxlan_core.c), as rows of
 * {@link FakeNamespace#fdb} with {@code self} set: one entry per MAC (a device without
 * collect-metadata, the only kind netlib makes, keys its table by MAC alone: __vxlan_find_mac()),
 * holding one state and a list of remotes, one row each. A remote is its destination and VNI (the
 * rows keep the VNI the kernel stores, the device's own when the request named none); NDA_PORT and
 * NDA_IFINDEX, the rest of a remote's key in vxlan_fdb_find_rdst(), netlib never sends, so they are
 * always the device's port and 0.
 */
final class FakeVxlanFdb {
    private FakeVxlanFdb() {}

    /** The device's VNI (vxlan->default_dst.remote_vni). */
    private static int defaultVni(FakeLink vxlan) {
        return ((VxlanSpec) vxlan.details).vni();
    }

    /**
     * __vxlan_dev_create(): a device with a default destination (remote or group) gets an all-zeros
     * entry to it, with the device's VNI, NUD_REACHABLE|NUD_PERMANENT (checked on 6.18: {@code ip link
     * add vx2 type vxlan id 44 remote fd00::9} shows {@code 00:00:00:00:00:00 dst fd00::9 self permanent}).
     */
    static void addDefaultRemote(FakeNamespace ns, FakeLink vxlan) {
        VxlanSpec x = (VxlanSpec) vxlan.details;
        InetAddress remote = x.remote() != null ? x.remote() : x.group();
        if (remote != null) {
            ns.fdb.add(new FakeNamespace.Fdb(vxlan, MacAddress.parse("00:00:00:00:00:00"), remote, x.vni(), true, null,
                    FdbSpec.State.PERMANENT, 0));
        }
    }

    /**
     * vxlan_fdb_add() and vxlan_fdb_update(). NDA_DST is required (EINVAL without it, default remote or
     * not) and must be of the device's address family (EAFNOSUPPORT). A known MAC fails with EEXIST
     * under NLM_F_EXCL ({@code add}); otherwise vxlan_fdb_update_existing() gives the entry the
     * request's state (all its remotes share it), then {@code replace} rewrites the first remote unless
     * one is already the requested (destination, VNI), and fails with EOPNOTSUPP on an all-zeros or
     * multicast MAC, the state changed all the same; {@code append} adds a remote to an all-zeros or
     * multicast MAC unless it has that (destination, VNI) already, and changes no unicast MAC's remotes.
     * A new MAC under {@code replace} must be unicast (vxlan_fdb_update_create(): EOPNOTSUPP).
     * Checked on 6.18 with bridge fdb add, append and replace, with and without vni.
     */
    static void add(FakeNamespace ns, FakeLink vxlan, AddFdb c, String op) {
        FdbSpec f = c.entry();
        if (f.destination() == null) {
            throw Fail.of(Errno.EINVAL, op, null);
        }
        if (IpAddresses.isIpv6(f.destination()) != vxlan.vxlanIpv6) {
            throw Fail.of(Errno.EAFNOSUPPORT, op, null);
        }
        int vni = f.vni() != null ? f.vni() : defaultVni(vxlan); // vxlan_fdb_parse()
        boolean unicast = !f.mac().isZero() && !f.mac().isMulticast();
        List<FakeNamespace.Fdb> remotes = remotes(ns, vxlan, f.mac());
        if (remotes.isEmpty()) {
            if (c.replace() && !unicast) {
                throw Fail.of(Errno.EOPNOTSUPP, op, null);
            }
            ns.fdb.add(new FakeNamespace.Fdb(vxlan, f.mac(), f.destination(), vni, true, null, f.state(), 0));
            return;
        }
        if (!c.append() && !c.replace()) {
            throw Fail.of(Errno.EEXIST, op, null);
        }
        for (FakeNamespace.Fdb r : remotes) {
            ns.fdb.set(ns.fdb.indexOf(r), withRemote(r, r.destination(), r.vni(), f.state()));
        }
        boolean known = remotes.stream().anyMatch(r -> r.destination().equals(f.destination()) && r.vni() == vni);
        if (c.replace() && !unicast) {
            throw Fail.of(Errno.EOPNOTSUPP, op, "Cannot replace non-unicast fdb entries");
        }
        if (c.replace() && !known) {
            int first = ns.fdb.indexOf(remotes(ns, vxlan, f.mac()).get(0));
            ns.fdb.set(first, withRemote(ns.fdb.get(first), f.destination(), vni, f.state())); // vxlan_fdb_replace()
        }
        if (c.append() && !unicast && !known) {
            ns.fdb.add(ns.fdb.indexOf(last(remotes(ns, vxlan, f.mac()))) + 1,
                    new FakeNamespace.Fdb(vxlan, f.mac(), f.destination(), vni, true, null, f.state(), 0)); // vxlan_fdb_append()
        }
    }

    /**
     * vxlan_fdb_delete() and __vxlan_fdb_delete(): ENOENT for an unknown MAC. Without NDA_DST the whole
     * entry goes, every remote whatever its VNI. With NDA_DST only the remote that matches it and the
     * VNI (NDA_VNI, else the device's) goes, or the whole entry when that is its only remote; when no
     * remote matches, nothing changes and the delete still succeeds (checked on 6.18: {@code bridge fdb
     * del M dev vx0 dst D vni 300 self} of an entry to D on VNI 200 answers 0 and leaves it).
     */
    static void delete(FakeNamespace ns, FakeLink vxlan, FdbSpec f, String op) {
        List<FakeNamespace.Fdb> remotes = remotes(ns, vxlan, f.mac());
        if (remotes.isEmpty()) {
            throw Fail.of(Errno.ENOENT, op, null);
        }
        if (f.destination() == null || f.destination().isAnyLocalAddress()) {
            ns.fdb.removeAll(remotes);
            return;
        }
        int vni = f.vni() != null ? f.vni() : defaultVni(vxlan);
        FakeNamespace.Fdb match = remotes.stream().filter(r -> r.destination().equals(f.destination()) && r.vni() == vni)
                .findFirst().orElse(null);
        if (match != null) {
            ns.fdb.removeAll(remotes.size() > 1 ? List.of(match) : remotes);
        }
    }

    /**
     * vxlan_fdb_info(): NDA_VNI only for a remote whose VNI is not the device's; NDA_SRC_VNI never
     * (it is reported only by collect-metadata devices, which netlib does not make).
     */
    static Integer reportedVni(FakeNamespace.Fdb row) {
        return row.vni() == null || row.vni() == defaultVni(row.link()) ? null : row.vni();
    }

    private static List<FakeNamespace.Fdb> remotes(FakeNamespace ns, FakeLink vxlan, MacAddress mac) {
        return ns.fdb.stream().filter(r -> r.self() && r.link() == vxlan && r.mac().equals(mac)).toList();
    }

    private static FakeNamespace.Fdb last(List<FakeNamespace.Fdb> rows) {
        return rows.get(rows.size() - 1);
    }

    private static FakeNamespace.Fdb withRemote(FakeNamespace.Fdb r, InetAddress destination, Integer vni, FdbSpec.State state) {
        return new FakeNamespace.Fdb(r.link(), r.mac(), destination, vni, true, null, state, 0);
    }
}
