package dev.netlib.examples.bench.cluster;

import dev.netlib.Netlib;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.value.IpAddresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's overlay tables as the kernel has them, read back through netlib's dumps (never from the
 * overlay's own state): the neighbour entries (IP to MAC) and the VXLAN device's own FDB entries (MAC
 * to VTEP) of every {@code nlv-*} device in the host namespace.
 *
 * <p>Equivalent to: {@code ip -n HOST neigh show; bridge -n HOST fdb show dev nlv-V}.
 *
 * @param neighbours IP to MAC, with " (not permanent)" appended to the MAC of entries the overlay did not pin
 * @param fdb MAC to VTEP
 * @param duplicates FDB MACs listed twice (never expected)
 */
record KernelTables(Map<String, String> neighbours, Map<String, String> fdb, List<String> duplicates) {

    /** Reads the neighbour table only (the cheap half, enough to see that an entry is not there yet). */
    static Map<String, String> neighbours(Netlib host) {
        Map<String, String> out = new HashMap<>();
        for (NeighborInfo n : host.neighbors().list()) {
            if (n.device().startsWith("nlv-") && n.mac() != null) {
                out.put(IpAddresses.format(n.address()), n.mac() + (n.states().contains(NeighborState.PERMANENT) ? "" : " (not permanent)"));
            }
        }
        return out;
    }

    /** The FDB entries of the host's VXLAN device {@code vxlan} (MAC to VTEP). */
    static Map<String, String> fdb(Netlib host, String vxlan, List<String> duplicates) {
        Map<String, String> out = new HashMap<>();
        if (vxlan == null) {
            return out;
        }
        for (FdbInfo f : host.fdb().list(vxlan)) {
            if (!f.self() || f.master() || f.destination() == null) {
                continue;
            }
            if (out.put(f.mac().toString(), IpAddresses.format(f.destination())) != null) {
                duplicates.add(f.mac().toString());
            }
        }
        return out;
    }

    /** Both tables of a host. */
    static KernelTables read(Netlib host, String vxlan) {
        List<String> dups = new ArrayList<>();
        Map<String, String> n = neighbours(host);
        return new KernelTables(n, fdb(host, vxlan, dups), dups);
    }

    /** Neighbour plus FDB entries. */
    int entries() {
        return neighbours.size() + fdb.size();
    }

    /** Whether both entries of a remote endpoint are there (and the neighbour is permanent). */
    boolean has(String ip, String mac, String vtep) {
        return mac.equals(neighbours.get(ip)) && vtep.equals(fdb.get(mac));
    }

    /** Differences against the expected remote endpoints, in words (empty: equal). */
    List<String> diff(Map<String, StoreAdverts.Advert> expectedByIp) {
        List<String> out = new ArrayList<>();
        Map<String, String> wantFdb = new HashMap<>();
        expectedByIp.forEach((ip, a) -> {
            wantFdb.put(a.mac(), a.vtep());
            if (!a.mac().equals(neighbours.get(ip))) {
                out.add("neighbour " + ip + ": kernel " + neighbours.get(ip) + ", store " + a.mac());
            }
        });
        neighbours.keySet().stream().filter(ip -> !expectedByIp.containsKey(ip)).forEach(ip -> out.add("stale neighbour " + ip));
        wantFdb.forEach((mac, vtep) -> {
            if (!vtep.equals(fdb.get(mac))) {
                out.add("fdb " + mac + ": kernel " + fdb.get(mac) + ", store " + vtep);
            }
        });
        fdb.keySet().stream().filter(mac -> !wantFdb.containsKey(mac)).forEach(mac -> out.add("stale fdb " + mac));
        duplicates.forEach(mac -> out.add("duplicate fdb " + mac));
        return out;
    }
}
