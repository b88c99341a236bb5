package dev.netlib.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this host's kernel match the store, one network at a time, through {@link OverlayKernel}: a
 * network with a local endpoint (announced or being joined) gets its devices and its peers'
 * neighbour and FDB entries; one without loses its devices once nothing else is attached. Runs on
 * the agent's kernel thread only.
 */
final class NetworkReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkReconciler.class);

    private final OverlayKernel kernel;
    private final ClusterView view;
    private final LocalEndpoints local;
    private final HostsNames names;
    private final HostId me;
    private final int underlayMtu;
    /** The networks whose devices this agent made or took over, until they are gone. */
    private final Map<String, OverlayNetwork> programmed = new ConcurrentHashMap<>();

    NetworkReconciler(OverlayKernel kernel, ClusterView view, LocalEndpoints local, HostsNames names, HostId me, int underlayMtu) {
        this.kernel = kernel;
        this.view = view;
        this.local = local;
        this.names = names;
        this.me = me;
        this.underlayMtu = underlayMtu;
    }

    /** The MTU of the network's interfaces on this host. */
    int mtu(OverlayNetwork n) {
        return Math.min(n.mtu(), underlayMtu - OverlayKernel.VXLAN_OVERHEAD_V4);
    }

    /** The networks whose devices this agent holds. */
    Set<String> programmedIds() {
        return Set.copyOf(programmed.keySet());
    }

    /** {@link #reconcile(String, OverlayNetwork)} of a network as the view has it. */
    void reconcile(String id) {
        reconcile(id, null);
    }

    /** Makes the kernel match the store for one network; {@code given} stands in while the view does not hold it yet. */
    void reconcile(String id, OverlayNetwork given) {
        OverlayNetwork n = view.network(id).orElse(given);
        if (n == null || !local.any(id)) {
            OverlayNetwork was = n != null ? n : programmed.get(id);
            if (was != null && kernel.devicesPresent(was) && !kernel.hasLocalPorts(was) && !vniTakenByAnother(was)) {
                kernel.removeDevices(was);
            }
            if (was != null && (!kernel.devicesPresent(was) || vniTakenByAnother(was))) {
                programmed.remove(id);
            }
            return;
        }
        kernel.ensureDevices(n, mtu(n));
        programmed.put(id, n);
        kernel.syncPeers(n, remote(n.id(), view), false);
        names.schedule(n);
    }

    /**
     * True if another network with the same VNI (so the same device names) has local endpoints or
     * one being prepared: a removed network's VNI is free for the next create at once, and a late
     * reconcile of the old network must not take the devices just made for the new one (between its
     * prepare and its veth joining the bridge, the bridge has no local port yet).
     */
    private boolean vniTakenByAnother(OverlayNetwork was) {
        for (OverlayNetwork other : programmed.values()) {
            if (!other.id().equals(was.id()) && other.vni() == was.vni() && local.any(other.id())) {
                return true;
            }
        }
        return false;
    }

    private List<EndpointAdvert> remote(String networkId, ClusterView from) {
        return from.adverts(networkId).stream().filter(a -> !a.host().equals(me)).toList();
    }

    /**
     * At start: overlay devices whose network is gone, or that no local endpoint uses (e.g. left by a
     * crash between creating the VXLAN device and announcing the endpoint), are deleted, so a later
     * create never meets "file exists"; so are the records of VXLAN devices that are gone.
     */
    void collectStaleDevices() {
        Map<Integer, OverlayNetwork> byVni = new HashMap<>();
        view.networks().forEach(n -> byVni.put(n.vni(), n));
        for (var d : kernel.overlayDevices().entrySet()) {
            OverlayNetwork n = byVni.get(d.getValue());
            String vx = String.format("nlv-%06x", d.getValue());
            String br = String.format("nlb-%06x", d.getValue());
            boolean used = n != null && kernel.bridgeHasPortsBesides(br, vx);
            if (!used) {
                LOG.info("overlay agent {}: collecting stale device {}", me, d.getKey());
                kernel.deleteLink(d.getKey());
            } else {
                programmed.put(n.id(), n);
            }
        }
        kernel.collectRecords();
    }

    /**
     * The differences between the kernel and {@code now} (a fresh read of the store, not the agent's
     * view), in words: missing or stray devices, neighbour and FDB entries. Empty when they are equal.
     */
    List<String> diff(ClusterView now) {
        List<String> out = new ArrayList<>();
        Set<Integer> wanted = new HashSet<>();
        for (OverlayNetwork n : now.networks()) {
            List<EndpointAdvert> all = now.adverts(n.id());
            if (all.stream().noneMatch(a -> a.host().equals(me))) {
                continue;
            }
            wanted.add(n.vni());
            if (kernel.devicesPresent(n)) {
                out.addAll(kernel.syncPeers(n, remote(n.id(), now), true));
            } else {
                out.add("network " + n.name() + ": devices " + n.bridgeName() + "/" + n.vxlanName() + " missing");
            }
        }
        for (var d : kernel.overlayDevices().entrySet()) {
            if (!wanted.contains(d.getValue())) {
                out.add("stray device " + d.getKey());
            }
        }
        return out;
    }
}
