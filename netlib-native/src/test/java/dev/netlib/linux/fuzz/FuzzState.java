package dev.netlib.linux.fuzz;

import dev.netlib.Netlib;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.value.IpAddresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The normalised state of one namespace, as sorted lines: everything {@code ip} shows that does
 * not differ between two runs by nature. Left out: MACs the kernel picks at random (and the
 * link-local addresses made from them), FDB and neighbour entries for addresses the fuzzer never
 * used (the kernel's own per-port and multicast entries), counters.
 */
final class FuzzState {
    private FuzzState() {}

    static List<String> of(Netlib in, Set<String> fuzzMacs) {
        List<String> out = new ArrayList<>();
        // links by name, each lower/peer link by its name too: not the ifindexes, which the Linux
        // backend chooses itself for creates with follow-ups (far above the kernel's own, so not even
        // their order is comparable) and which a refused request may have used up on Linux
        Map<Integer, String> names = new HashMap<>();
        in.links().forEach(l -> names.put(l.index(), l.name()));
        for (LinkInfo l : in.links()) {
            String lower = l.linkIndex() == 0 ? ""
                    : l.linkNetnsId() >= 0 ? " link other-netns" : " link " + names.getOrDefault(l.linkIndex(), "?");
            out.add("link " + l.name() + " " + l.kind() + " mtu " + l.mtu() + (l.adminUp() ? " UP" : " down")
                    + " " + l.operState() + " master " + l.master().orElse("-") + lower);
        }
        for (AddressInfo a : in.addresses().list()) {
            String address = a.address().toString().startsWith("fe80:") ? "fe80::(from the MAC)" : a.address().toString();
            out.add("addr " + a.device() + " " + address + " scope " + a.scope());
        }
        for (RouteInfo r : in.routes().list()) {
            out.add("route " + r.destination() + (r.gateway() == null ? "" : " via " + IpAddresses.format(r.gateway()))
                    + " dev " + r.device() + " table " + r.table() + " scope " + r.scope() + " proto " + r.protocol()
                    + " metric " + r.metric() + " type " + r.type());
        }
        for (NeighborInfo n : in.neighbors().list()) {
            if (n.mac() != null && fuzzMacs.contains(n.mac().toString())) {
                out.add("neigh " + n.device() + " " + IpAddresses.format(n.address()) + " " + n.mac() + " " + new TreeSet<>(n.states()));
            }
        }
        for (FdbInfo f : in.fdb().list()) {
            if (fuzzMacs.contains(f.mac().toString())) {
                out.add("fdb " + f.device() + " " + f.mac() + (f.destination() == null ? "" : " dst " + IpAddresses.format(f.destination()))
                        + (f.vni() == null ? "" : " vni " + f.vni()) + (f.self() ? " self" : "") + (f.master() ? " master" : "")
                        + (f.isPermanent() ? " permanent" : ""));
            }
        }
        out.add("sysctl ip_forward " + in.sysctls().get("net.ipv4.ip_forward"));
        out.add("sysctl ipv6 forwarding " + in.sysctls().get("net.ipv6.conf.all.forwarding"));
        out.sort(null);
        return out;
    }
}
