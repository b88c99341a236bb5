package dev.netlib.fake;

import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.RouteInfo;
import java.util.List;
import java.util.Map;

/**
 * The whole state of a {@link FakeKernel} at one moment, as immutable values: two snapshots are
 * {@code equals} exactly when every namespace holds the same links, addresses, routes,
 * neighbours, FDB entries and sysctls. Tests use it to prove that a failed operation left the
 * kernel exactly as it found it.
 */
public record FakeSnapshot(List<NamespaceState> namespaces) {
    public FakeSnapshot {
        namespaces = List.copyOf(namespaces);
    }

    /** One namespace: name null for the root and anonymous namespaces. */
    public record NamespaceState(long inode, String name, List<LinkInfo> links, List<AddressInfo> addresses,
            List<RouteInfo> routes, List<NeighborInfo> neighbors, List<FdbInfo> fdb, Map<String, String> sysctls) {
        public NamespaceState {
            links = List.copyOf(links);
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
            neighbors = List.copyOf(neighbors);
            fdb = List.copyOf(fdb);
            sysctls = Map.copyOf(sysctls);
        }
    }

    /** The state of the namespace with this iproute2 name, if there is one. */
    public java.util.Optional<NamespaceState> namespace(String name) {
        return namespaces.stream().filter(n -> name.equals(n.name())).findFirst();
    }
}
