package dev.netlib.fake;

import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.model.RouteInfo;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/** The fake's state as the model records a dump returns, in the kernel's order. */
final class FakeReads {
    private FakeReads() {}

    static List<LinkInfo> linkInfos(FakeNamespace ns) {
        return ns.links.values().stream().map(FakeLink::info).toList();
    }

    /** IPv4 first, then IPv6, each in device order, as a dump returns them. */
    static List<AddressInfo> addressInfos(FakeNamespace ns) {
        Comparator<FakeNamespace.Address> order = Comparator
                .comparing((FakeNamespace.Address a) -> a.prefix().isIpv6())
                .thenComparingInt(a -> a.link().index);
        return ns.addresses.stream().sorted(order)
                .map(a -> new AddressInfo(a.link().index, a.link().name, a.prefix(), a.scope())).toList();
    }

    static List<RouteInfo> routeInfos(FakeNamespace ns) {
        Comparator<FakeNamespace.Route> order = Comparator
                .comparing((FakeNamespace.Route r) -> r.destination().isIpv6())
                .thenComparingInt(FakeNamespace.Route::table)
                .thenComparing(FakeNamespace.Route::destination)
                .thenComparingInt(FakeNamespace.Route::metric);
        return ns.routes.stream().sorted(order)
                .map(r -> new RouteInfo(r.destination(), r.gateway(), r.link() == null ? null : r.link().name,
                        r.link() == null ? 0 : r.link().index, r.scope(), r.table(), r.metric(), r.protocol(), r.type()))
                .toList();
    }

    static List<NeighborInfo> neighborInfos(FakeNamespace ns) {
        return ns.neighbors.stream()
                .map(n -> new NeighborInfo(n.link().index, n.link().name, n.address(), n.mac(), EnumSet.of(n.state())))
                .toList();
    }

    static List<FdbInfo> fdbInfos(FakeNamespace ns) {
        return ns.fdb.stream()
                .map(f -> new FdbInfo(f.link().index, f.link().name, f.mac(), f.destination(), FakeVxlanFdb.reportedVni(f), f.vlan(),
                        f.bridge() == null ? 0 : f.bridge().index, f.self(), f.bridge() != null,
                        EnumSet.of(switch (f.state()) { // fdb_to_nud(): local, static, else reachable
                            case PERMANENT -> NeighborState.PERMANENT;
                            case STATIC -> NeighborState.NOARP;
                            case DYNAMIC -> NeighborState.REACHABLE;
                        })))
                .toList();
    }
}
