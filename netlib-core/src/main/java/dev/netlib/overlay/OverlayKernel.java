package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.NotFoundException;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel side of the overlay on one host: per network a bridge ({@code nlb-VNI}, no address) and
 * a VXLAN device ({@code nlv-VNI}) enslaved to it; per remote endpoint a permanent neighbour entry
 * (IP to MAC, answered locally by the VXLAN's ARP proxy) and a permanent FDB entry (MAC to the
 * owner's VTEP). Everything is compared with the kernel's current tables and only the difference is
 * written, with replace semantics, so a run is idempotent and repairs drift (anti-entropy).
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
     * Per VXLAN device, the MAC netlib last wrote for each neighbour address: a neighbour delete
     * matches the address only (neigh_delete() ignores NDA_LLADDR, moby#53420), so netlib deletes an
     * entry only while the kernel still holds the MAC it wrote; one rewritten since (by the user or
     * another tool) is left alone. Kernel thread only.
     */
    private final Map<String, Map<InetAddress, MacAddress>> written = new HashMap<>();

    OverlayKernel(Netlib host, InetAddress vtep, String underlay, int port) {
        this.host = host;
        this.vtep = vtep;
        this.underlay = underlay;
        this.port = port;
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
        written.remove(n.vxlanName());
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

    /** True if the device named {@code name} has a port other than {@code except}. */
    boolean bridgeHasPortsBesides(String name, String except) {
        return host.links().stream().anyMatch(l -> name.equals(l.masterName()) && !l.name().equals(except));
    }

    void deleteLink(String name) {
        try {
            host.link(name).delete();
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    /**
     * Compares the VXLAN device's neighbour and FDB tables with the remote endpoints and, unless
     * {@code dryRun}, writes the difference. Returns the differences found, in words (empty: the
     * kernel equals the store).
     *
     * <p>An address claimed by several adverts gets the MAC of the last one in the list; a neighbour
     * is deleted only when no advert claims its address any more, and only if its MAC is still the
     * one netlib wrote (neighbour deletes match the address only, not the MAC: moby#53420). An entry
     * whose MAC was rewritten by someone else since is not netlib's any more: left alone, not a
     * difference. One netlib did not write in this run (an earlier run's) is deleted.
     *
     * <p>Equivalent to: {@code ip neigh replace IP lladdr MAC dev nlv-V nud permanent; bridge fdb
     * replace MAC dev nlv-V dst VTEP self permanent; bridge fdb replace MAC dev nlv-V master static},
     * and the matching {@code del}s.
     */
    List<String> syncPeers(OverlayNetwork n, List<EndpointAdvert> remote, boolean dryRun) {
        String dev = n.vxlanName();
        Map<InetAddress, MacAddress> wantNeigh = new HashMap<>();
        Map<MacAddress, InetAddress> wantFdb = new HashMap<>();
        for (EndpointAdvert a : remote) {
            wantNeigh.put(a.ip(), a.mac());
            wantFdb.put(a.mac(), a.vtep());
        }
        List<String> diffs = new ArrayList<>();
        Set<InetAddress> haveNeigh = new HashSet<>();
        for (NeighborInfo ni : host.neighbors().list()) {
            if (!dev.equals(ni.device())) {
                continue;
            }
            MacAddress want = wantNeigh.get(ni.address());
            boolean permanent = ni.states().contains(NeighborState.PERMANENT);
            if (want == null) {
                MacAddress ours = written.getOrDefault(dev, Map.of()).get(ni.address());
                if (ours != null && !ours.equals(ni.mac())) {
                    // the record stays, so later passes leave the entry alone too
                    LOG.debug("{}: neighbour {} is {} now, not {} as netlib wrote it: left alone", dev,
                            IpAddresses.format(ni.address()), ni.mac(), ours);
                    continue;
                }
                diffs.add(dev + ": stray neighbour " + IpAddresses.format(ni.address()) + " lladdr " + ni.mac());
                if (!dryRun) {
                    deleteNeighbour(dev, ni.address());
                }
            } else {
                haveNeigh.add(ni.address());
                if (!want.equals(ni.mac()) || !permanent) {
                    diffs.add(dev + ": neighbour " + IpAddresses.format(ni.address()) + " is " + ni.mac() + " " + ni.states() + ", want " + want + " permanent");
                    if (!dryRun) {
                        writeNeighbour(dev, ni.address(), want);
                    }
                }
            }
        }
        wantNeigh.forEach((ip, mac) -> {
            if (!haveNeigh.contains(ip)) {
                diffs.add(dev + ": missing neighbour " + IpAddresses.format(ip) + " lladdr " + mac);
                if (!dryRun) {
                    writeNeighbour(dev, ip, mac);
                }
            }
        });
        Set<MacAddress> haveFdb = new HashSet<>();
        for (FdbInfo f : host.fdb().list(dev)) {
            if (!f.self() || f.master()) {
                continue; // the bridge's own table: syncBridgeEntries
            }
            InetAddress want = wantFdb.get(f.mac());
            if (want == null || !Objects.equals(want, f.destination()) || !f.isPermanent() || haveFdb.contains(f.mac())) {
                diffs.add(dev + ": stray fdb " + f.mac() + " dst " + (f.destination() == null ? "-" : IpAddresses.format(f.destination())));
                if (!dryRun) {
                    deleteFdb(dev, f);
                }
            } else {
                haveFdb.add(f.mac());
            }
        }
        wantFdb.forEach((mac, dst) -> {
            if (!haveFdb.contains(mac)) {
                diffs.add(dev + ": missing fdb " + mac + " dst " + IpAddresses.format(dst));
                if (!dryRun) {
                    host.fdb().entry(dev, mac.toString()).destination(IpAddresses.format(dst)).self().replace();
                }
            }
        });
        syncBridgeEntries(dev, wantFdb.keySet(), dryRun, diffs);
        return diffs;
    }

    /**
     * The bridge's own table: a static entry per remote MAC on the VXLAN port, so the bridge sends
     * frames for a remote endpoint into the tunnel only, instead of flooding them to every local
     * endpoint too (the port learns nothing: learning is off). Static, not permanent: a permanent
     * bridge entry is a local address, delivered to the bridge itself. The port's own permanent
     * entries (its MAC, made by the kernel) are not ours and are left alone.
     *
     * <p>Equivalent to: {@code bridge fdb replace MAC dev nlv-V master static}, and {@code bridge fdb
     * del MAC dev nlv-V master} for a MAC no remote endpoint has any more.
     */
    private void syncBridgeEntries(String dev, Set<MacAddress> want, boolean dryRun, List<String> diffs) {
        Set<MacAddress> have = new HashSet<>();
        for (FdbInfo f : host.fdb().list(dev)) {
            if (!f.master() || f.self() || f.isPermanent()) {
                continue;
            }
            if (want.contains(f.mac()) && f.states().contains(NeighborState.NOARP)) {
                have.add(f.mac());
            } else {
                diffs.add(dev + ": stray bridge fdb " + f.mac() + " " + f.states());
                if (!dryRun) {
                    try {
                        host.fdb().entry(dev, f.mac().toString()).master().delete();
                    } catch (NotFoundException gone) {
                        // already gone
                    }
                }
            }
        }
        for (MacAddress mac : want) {
            if (!have.contains(mac)) {
                diffs.add(dev + ": missing bridge fdb " + mac);
                if (!dryRun) {
                    host.fdb().entry(dev, mac.toString()).master().staticEntry().replace();
                }
            }
        }
    }

    private void writeNeighbour(String dev, InetAddress ip, MacAddress mac) {
        host.neighbors().replace(dev, IpAddresses.format(ip), mac.toString());
        written.computeIfAbsent(dev, d -> new HashMap<>()).put(ip, mac);
    }

    private void deleteNeighbour(String dev, InetAddress ip) {
        Map<InetAddress, MacAddress> mine = written.get(dev);
        if (mine != null) {
            mine.remove(ip);
        }
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
            e.delete();
        } catch (NotFoundException gone) {
            // already gone
        }
    }
}
