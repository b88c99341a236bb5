package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.BridgePortInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel side of the overlay on one host: per network a bridge ({@code nlb-VNI}, no address) and
 * a VXLAN device ({@code nlv-VNI}) enslaved to it; per remote endpoint a permanent neighbour entry
 * (IP to MAC, answered locally by the VXLAN's ARP proxy), a permanent FDB entry (MAC to the owner's
 * VTEP) and a static entry in the bridge's table (MAC to the tunnel port). Everything is compared
 * with the kernel's current tables and only the difference is written, with replace semantics, so a
 * run is idempotent and repairs drift (anti-entropy). Only entries netlib's record proves it wrote
 * are ever deleted ({@link WrittenEntries}): whatever else the user or another tool put on the
 * tunnel port stays.
 *
 * <p>Called only from the agent's kernel thread: all writes of the overlay go through one queue.
 */
final class OverlayKernel {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayKernel.class);
    /** Outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14 (include/net/vxlan.h VXLAN_HEADROOM). */
    static final int VXLAN_OVERHEAD_V4 = 50;

    private final Netlib host;
    private final InetAddress vtep;
    private final String underlay;
    private final int port;
    /**
     * Per VXLAN device, the neighbour, FDB and bridge entries netlib wrote and has not deleted since, kept on
     * file so that a restarted agent still knows them: only those are ever deleted (see {@link
     * #syncPeers}). Kernel thread only.
     */
    private final WrittenRecords written;

    OverlayKernel(Netlib host, InetAddress vtep, String underlay, int port, WrittenRecords written) {
        this.host = host;
        this.vtep = vtep;
        this.underlay = underlay;
        this.port = port;
        this.written = written;
    }

    /** The MTU of the underlay device. */
    int underlayMtu() {
        return host.findLink(underlay).map(LinkInfo::mtu)
                .orElseThrow(() -> new OverlayException("underlay device " + underlay + " not found in " + host.namespace()
                        + "; pass the device that carries the VTEP address " + IpAddresses.format(vtep)));
    }

    /**
     * Creates the network's bridge and VXLAN device if missing, and replaces a VXLAN device whose VNI,
     * port or local address differ (those cannot be changed in place: vxlan_nl2conf()).
     *
     * <p>Equivalent to: {@code ip link add nlb-V type bridge; ip link add nlv-V type vxlan id VNI dstport
     * 4789 local VTEP dev UNDERLAY nolearning proxy; ip link set nlv-V mtu MTU master nlb-V up; bridge link
     * set dev nlv-V learning off}: the bridge must not learn remote MACs on the tunnel port (a learned
     * entry would follow whatever frame came in last, libnetwork#1783), only the static ones netlib writes.
     */
    void ensureDevices(OverlayNetwork n, int mtu) {
        LinkInfo vx = host.findLink(n.vxlanName()).orElse(null);
        if (vx != null && !matches(vx, n)) {
            LOG.info("replacing {}: its VNI, port or local address differ from network {}", n.vxlanName(), n.name());
            deleteLink(n.vxlanName());
            vx = null;
        }
        if (host.findLink(n.bridgeName()).isEmpty()) {
            host.bridge(n.bridgeName()).mtu(mtu).up().create();
        }
        if (vx == null) {
            try {
                createVxlan(n, mtu);
            } catch (AlreadyExistsException e) {
                // a device under another name holds this VNI and port in this namespace
                // (vxlan_vni_in_use()): a leftover of ours is collected, anything else is reported
                String holder = vxlanHolding(n.vni());
                if (holder == null || !holder.startsWith("nlv-")) {
                    throw new OverlayException("cannot create " + n.vxlanName() + " for network " + n.name() + ": VNI " + n.vni()
                            + " on port " + port + " is already used by device " + holder + " in " + host.namespace()
                            + "; delete that device or choose another VNI range", e);
                }
                deleteLink(holder);
                createVxlan(n, mtu);
            }
        } else if (vx.mtu() != mtu) {
            host.link(n.vxlanName()).mtu(mtu);
        }
    }

    private void createVxlan(OverlayNetwork n, int mtu) {
        written.forget(n.vxlanName()); // a new device has empty tables: nothing of an older one's record applies
        host.vxlan(n.vxlanName()).vni(n.vni()).port(port).local(IpAddresses.format(vtep)).device(underlay)
                .learning(false).proxy(true).mtu(mtu).master(n.bridgeName()).portLearning(false).up().create();
    }

    private boolean matches(LinkInfo vx, OverlayNetwork n) {
        if (!(vx.details() instanceof VxlanSpec s)) {
            return "vxlan".equals(vx.kind());
        }
        return s.vni() == n.vni() && (s.port() == null || s.port() == port) && (s.local() == null || s.local().equals(vtep));
    }

    private String vxlanHolding(int vni) {
        for (LinkInfo l : host.links()) {
            if (l.details() instanceof VxlanSpec s && s.vni() == vni) {
                return l.name();
            }
        }
        return null;
    }

    /** True if the network's bridge has a port other than its VXLAN device (a local endpoint's veth). */
    boolean hasLocalPorts(OverlayNetwork n) {
        return host.links().stream().anyMatch(l -> n.bridgeName().equals(l.masterName()) && !l.name().equals(n.vxlanName()));
    }

    boolean devicesPresent(OverlayNetwork n) {
        return host.findLink(n.vxlanName()).isPresent() || host.findLink(n.bridgeName()).isPresent();
    }

    /** Removes the network's devices (the kernel drops their neighbour and FDB entries with them). Equivalent to: {@code ip link del nlv-V; ip link del nlb-V}. */
    void removeDevices(OverlayNetwork n) {
        deleteLink(n.vxlanName());
        deleteLink(n.bridgeName());
    }

    /** Names of overlay devices ({@code nlv-*}, {@code nlb-*}) in the namespace, with the VNI in their name. */
    Map<String, Integer> overlayDevices() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (LinkInfo l : host.links()) {
            if ((l.name().startsWith("nlv-") || l.name().startsWith("nlb-")) && l.name().length() == 10) {
                try {
                    out.put(l.name(), Integer.parseInt(l.name().substring(4), 16));
                } catch (NumberFormatException notOurs) {
                    // a device whose name only looks like ours
                }
            }
        }
        return out;
    }

    /** Deletes the records of VXLAN devices that are gone (deleted while no agent ran). */
    void collectRecords() {
        written.retainOnly(overlayDevices().keySet());
    }

    /** True if the device named {@code name} has a port other than {@code except}. */
    boolean bridgeHasPortsBesides(String name, String except) {
        return host.links().stream().anyMatch(l -> name.equals(l.masterName()) && !l.name().equals(except));
    }

    void deleteLink(String name) {
        if (name.startsWith("nlv-")) {
            written.forget(name); // first: a record must never outlive its device (it would prove entries of the next one)
        }
        try {
            host.link(name).delete();
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    /**
     * Compares the VXLAN device's neighbour and FDB tables and the bridge's table on its port with the
     * remote endpoints, and its bridge port's learning flag with off, and, unless {@code dryRun},
     * writes the difference. Returns the differences found, in words (empty: the kernel equals the
     * store); a dry run changes neither the kernel nor the record.
     *
     * <p>Whose entry it is decides what may happen to it. An address or MAC an advert claims is the
     * overlay's: the store gave it to a remote endpoint, on a device that is netlib's, so a wrong
     * entry for it (another MAC, VTEP or VNI, not permanent, dynamic in the bridge's table) is
     * rewritten whoever wrote it, recorded or not; left alone it would cut this host off that endpoint
     * with nothing to repair the drift (moby#52661). Any other entry is the user's unless the record
     * proves netlib wrote it, and is never rewritten or deleted.
     *
     * <p>An address claimed by several adverts gets the MAC of the last one in the list. An entry no
     * advert claims is deleted only if netlib's record proves it wrote it: the kernel still holds
     * exactly the recorded MAC (neighbour deletes match the address only, not the MAC: moby#53420),
     * the recorded VTEP, or a static bridge entry for a recorded MAC (bridge entry deletes match MAC
     * and port only, not the state). Anything else on the device (rewritten by the user or another
     * tool, or written before the record was kept) is left alone and is not a difference. A claimed
     * entry that is right but not in the record (an earlier run was killed between writing it and
     * recording it, or a user wrote the same entry) is written again, so that every recorded entry is
     * one netlib wrote. An entry that is gone or was rewritten leaves the record: an identical one
     * written later by someone else is not netlib's.
     *
     * <p>The record changes around the kernel writes so that it never names an entry netlib did not
     * write: entries leave it before they are deleted, and join it after they were written. An agent
     * killed in between leaves the record short of an entry, never ahead: that entry is then left alone
     * (a leak, until an advert claims its address or MAC again), which is the safe side.
     *
     * <p>Equivalent to: {@code ip neigh replace IP lladdr MAC dev nlv-V nud permanent; bridge fdb
     * replace MAC dev nlv-V dst VTEP self permanent; bridge fdb replace MAC dev nlv-V master static},
     * and, for recorded entries only, {@code ip neigh del IP dev nlv-V; bridge fdb del MAC dev nlv-V dst
     * VTEP self; bridge fdb del MAC dev nlv-V master}.
     */
    List<String> syncPeers(OverlayNetwork n, List<EndpointAdvert> remote, boolean dryRun) {
        String dev = n.vxlanName();
        Map<InetAddress, MacAddress> wantNeigh = new HashMap<>();
        Map<MacAddress, InetAddress> wantFdb = new HashMap<>();
        for (EndpointAdvert a : remote) {
            wantNeigh.put(a.ip(), a.mac());
            wantFdb.put(a.mac(), a.vtep());
        }
        LinkInfo vx = host.findLink(dev).orElse(null);
        WrittenEntries mine = record(dev, vx, dryRun);
        List<String> diffs = new ArrayList<>();
        syncPortLearning(vx, dryRun, diffs);
        PeerChanges todo = new PeerChanges();
        Set<InetAddress> haveNeigh = new HashSet<>();
        for (NeighborInfo ni : host.neighbors().list()) {
            if (!dev.equals(ni.device())) {
                continue;
            }
            MacAddress want = wantNeigh.get(ni.address());
            MacAddress ours = mine.neighbours.get(ni.address());
            boolean permanent = ni.states().contains(NeighborState.PERMANENT);
            haveNeigh.add(ni.address());
            if (want == null) {
                if (ours == null || !ours.equals(ni.mac())) {
                    mine.neighbours.remove(ni.address()); // rewritten since: not ours any more, for good
                    LOG.debug("{}: neighbour {} lladdr {} is not one netlib wrote (recorded: {}): left alone", dev,
                            IpAddresses.format(ni.address()), ni.mac(), ours);
                    continue;
                }
                diffs.add(dev + ": stray neighbour " + IpAddresses.format(ni.address()) + " lladdr " + ni.mac());
                todo.neighDeletes.add(ni.address());
            } else if (!want.equals(ni.mac()) || !permanent) {
                diffs.add(dev + ": neighbour " + IpAddresses.format(ni.address()) + " is " + ni.mac() + " " + ni.states() + ", want " + want + " permanent");
                todo.neighWrites.put(ni.address(), want);
                if (!dryRun && !ni.mac().equals(ours)) {
                    LOG.info("{}: neighbour {} lladdr {} was not written by netlib; an endpoint of network {} has the address: rewriting it to {}",
                            dev, IpAddresses.format(ni.address()), ni.mac(), n.name(), want);
                }
            } else if (!want.equals(ours)) {
                todo.neighWrites.put(ni.address(), want); // right, but not provably ours: make it so
            }
        }
        mine.neighbours.keySet().retainAll(haveNeigh); // deleted by someone else: a later identical entry is not ours
        wantNeigh.forEach((ip, mac) -> {
            if (!haveNeigh.contains(ip)) {
                diffs.add(dev + ": missing neighbour " + IpAddresses.format(ip) + " lladdr " + mac);
                todo.neighWrites.put(ip, mac);
            }
        });
        Set<MacAddress> haveFdb = new HashSet<>();
        Map<MacAddress, Set<InetAddress>> kernelFdb = new HashMap<>();
        List<FdbInfo> table = host.fdb().list(dev);
        for (FdbInfo f : table) {
            if (!f.self() || f.master()) {
                continue; // the bridge's own table: syncBridgeEntries
            }
            // NDA_VNI is reported only for a remote whose VNI differs from the device's (vxlan_fdb_info());
            // netlib writes none, so such a remote is someone else's, and frames to it leave on the wrong VNI
            boolean otherVni = f.vni() != null && f.vni() != n.vni();
            if (!otherVni) {
                kernelFdb.computeIfAbsent(f.mac(), m -> new HashSet<>()).add(f.destination());
            }
            InetAddress want = wantFdb.get(f.mac());
            boolean ours = !otherVni && f.destination() != null && f.destination().equals(mine.fdb.get(f.mac()));
            if (want == null && !ours) {
                LOG.debug("{}: fdb {} dst {}{} is not one netlib wrote: left alone", dev, f.mac(), f.destination(), f.vni() == null ? "" : " vni " + f.vni());
            } else if (want == null || otherVni || !Objects.equals(want, f.destination()) || !f.isPermanent() || haveFdb.contains(f.mac())) {
                diffs.add(dev + ": stray fdb " + f.mac() + " dst " + (f.destination() == null ? "-" : IpAddresses.format(f.destination())));
                todo.fdbDeletes.add(f);
                if (!dryRun && !ours) {
                    LOG.info("{}: fdb {} dst {}{} was not written by netlib; an endpoint of network {} has the MAC: replacing it", dev, f.mac(),
                            f.destination() == null ? "-" : IpAddresses.format(f.destination()), f.vni() == null ? "" : " vni " + f.vni(), n.name());
                }
            } else {
                haveFdb.add(f.mac());
                if (!ours) {
                    todo.fdbWrites.put(f.mac(), want); // right, but not provably ours: make it so
                }
            }
        }
        mine.fdb.entrySet().removeIf(e -> !kernelFdb.getOrDefault(e.getKey(), Set.of()).contains(e.getValue()));
        wantFdb.forEach((mac, dst) -> {
            if (!haveFdb.contains(mac)) {
                diffs.add(dev + ": missing fdb " + mac + " dst " + IpAddresses.format(dst));
                todo.fdbWrites.put(mac, dst);
            }
        });
        syncBridgeEntries(dev, table, wantFdb.keySet(), mine, todo, diffs);
        if (!dryRun) {
            apply(dev, mine, todo);
        }
        return diffs;
    }

    /** The record of VXLAN device {@code dev} ({@code vx}, null if missing); for a dry run a copy, free to change. */
    private WrittenEntries record(String dev, LinkInfo vx, boolean dryRun) {
        WrittenEntries w = written.of(dev, vx == null ? 0 : vx.index());
        return dryRun ? w.copy() : w;
    }

    /**
     * Turns learning off again on the tunnel port if someone turned it on ({@code bridge link set dev
     * nlv-V learning on}): the bridge would then learn remote MACs on that port from whatever frame came
     * in last (libnetwork#1783) beside netlib's static entries. It is set off at creation only, so it is
     * read back here (IFLA_BRPORT_LEARNING in the link dump's bridge_slave data).
     *
     * <p>Equivalent to: {@code ip link set dev nlv-V type bridge_slave learning off}.
     */
    private void syncPortLearning(LinkInfo vx, boolean dryRun, List<String> diffs) {
        BridgePortInfo port = vx == null ? null : vx.bridgePort();
        if (port != null && port.learning()) {
            diffs.add(vx.name() + ": bridge port learning on, want off");
            if (!dryRun) {
                host.link(vx.name()).portLearning(false);
            }
        }
    }

    /**
     * Writes {@code todo}, keeping the record a subset of what netlib wrote: what is to be deleted
     * leaves the record (saved) first, what was written joins it (saved) after, also if a write fails.
     */
    private void apply(String dev, WrittenEntries mine, PeerChanges todo) {
        todo.neighDeletes.forEach(mine.neighbours::remove);
        for (FdbInfo f : todo.fdbDeletes) {
            mine.fdb.remove(f.mac(), f.destination());
        }
        todo.bridgeDeletes.forEach(mine.bridge::remove);
        if (!todo.neighDeletes.isEmpty() || !todo.fdbDeletes.isEmpty() || !todo.bridgeDeletes.isEmpty()) {
            written.save(dev); // only a delete needs the record saved first; the finally saves the rest
        }
        try {
            for (InetAddress ip : todo.neighDeletes) {
                deleteNeighbour(dev, ip);
            }
            for (FdbInfo f : todo.fdbDeletes) {
                deleteFdb(dev, f);
            }
            for (MacAddress mac : todo.bridgeDeletes) {
                deleteBridgeEntry(dev, mac);
            }
            for (var e : todo.neighWrites.entrySet()) {
                host.neighbors().replace(dev, IpAddresses.format(e.getKey()), e.getValue().toString());
                mine.neighbours.put(e.getKey(), e.getValue());
            }
            for (var e : todo.fdbWrites.entrySet()) {
                host.fdb().entry(dev, e.getKey().toString()).destination(IpAddresses.format(e.getValue())).self().replace();
                mine.fdb.put(e.getKey(), e.getValue());
            }
            for (MacAddress mac : todo.bridgeWrites) {
                host.fdb().entry(dev, mac.toString()).master().staticEntry().replace();
                mine.bridge.add(mac);
            }
        } finally {
            written.save(dev);
        }
    }

    /**
     * The bridge's own table: a static entry per remote MAC on the VXLAN port, so the bridge sends
     * frames for a remote endpoint into the tunnel only, instead of flooding them to every local
     * endpoint too (the port learns nothing: learning is off). Static, not permanent: a permanent
     * bridge entry is a local address, delivered to the bridge itself. Adds to {@code todo} what
     * differs from {@code want}; {@link #apply} writes it.
     *
     * <p>Only entries netlib can write are compared: master, not self, not permanent (the port's own
     * entries for its MAC are the kernel's), vlan 0 (netlib names no vlan). Of those, one is netlib's
     * while it is static and its MAC is in the record ({@code mine.bridge}): only those are deleted when
     * no remote endpoint has the MAC any more. Entries on other vlans are not compared. Where the kernel
     * has bridge VLAN filtering, every port has VLAN 1 (the default PVID) whether filtering is on or not,
     * and netlib's add without NDA_VLAN writes the MAC on VLAN 0 and on every VLAN of the port
     * (br_fdb_add()); its delete takes the MAC off those, where it points at the port
     * (br_fdb_delete()): entries netlib's own add wrote or took over, so they do not hold the delete
     * back. An entry of the MAC on a VLAN the port no longer has, or pointing at another port, stays.
     * Someone else's entry ({@code bridge fdb add MAC dev nlv-V
     * master static}) is left alone and is no difference, unless its MAC is wanted: then it is written
     * again (and recorded) as a claimed neighbour is. A recorded MAC whose static entry is gone (deleted
     * or made dynamic by someone else, or flushed with the port) leaves the record.
     *
     * <p>Equivalent to: {@code bridge fdb replace MAC dev nlv-V master static}, and {@code bridge fdb
     * del MAC dev nlv-V master} for a recorded MAC no remote endpoint has any more.
     */
    private static void syncBridgeEntries(String dev, List<FdbInfo> table, Set<MacAddress> want, WrittenEntries mine, PeerChanges todo,
            List<String> diffs) {
        Set<MacAddress> have = new HashSet<>();
        Set<MacAddress> staticNow = new HashSet<>();
        for (FdbInfo f : table) {
            if (!f.master() || f.self() || f.isPermanent() || f.vlan() != 0) {
                continue;
            }
            boolean isStatic = f.states().contains(NeighborState.NOARP);
            boolean ours = isStatic && mine.bridge.contains(f.mac());
            if (isStatic) {
                staticNow.add(f.mac());
            }
            if (want.contains(f.mac())) {
                have.add(f.mac());
                if (!isStatic) {
                    diffs.add(dev + ": bridge fdb " + f.mac() + " is " + f.states() + ", want static");
                    todo.bridgeWrites.add(f.mac());
                } else if (!ours) {
                    todo.bridgeWrites.add(f.mac()); // right, but not provably ours: make it so
                }
            } else if (ours) {
                diffs.add(dev + ": stray bridge fdb " + f.mac() + " " + f.states());
                todo.bridgeDeletes.add(f.mac());
            } else {
                LOG.debug("{}: bridge fdb {} {} is not one netlib wrote: left alone", dev, f.mac(), f.states());
            }
        }
        mine.bridge.retainAll(staticNow); // gone or rewritten by someone else: a later identical entry is not ours
        for (MacAddress mac : want) {
            if (!have.contains(mac)) {
                diffs.add(dev + ": missing bridge fdb " + mac);
                todo.bridgeWrites.add(mac);
            }
        }
    }

    private void deleteNeighbour(String dev, InetAddress ip) {
        try {
            host.neighbors().delete(dev, IpAddresses.format(ip));
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    private void deleteFdb(String dev, FdbInfo f) {
        try {
            var e = host.fdb().entry(dev, f.mac().toString()).self();
            if (f.destination() != null) {
                e.destination(IpAddresses.format(f.destination()));
            }
            if (f.vni() != null) {
                e.vni(f.vni()); // without it the kernel looks for the remote on the device's VNI (vxlan_fdb_parse())
            }
            e.delete();
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    private void deleteBridgeEntry(String dev, MacAddress mac) {
        try {
            host.fdb().entry(dev, mac.toString()).master().delete();
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    /** The neighbour, FDB and bridge entry changes one pass found, written by {@link #apply} in this order: deletes, then writes. */
    private static final class PeerChanges {
        final List<InetAddress> neighDeletes = new ArrayList<>();
        final List<FdbInfo> fdbDeletes = new ArrayList<>();
        final Map<InetAddress, MacAddress> neighWrites = new LinkedHashMap<>();
        final Map<MacAddress, InetAddress> fdbWrites = new LinkedHashMap<>();
        final Set<MacAddress> bridgeDeletes = new LinkedHashSet<>();
        final Set<MacAddress> bridgeWrites = new LinkedHashSet<>();
    }
}
