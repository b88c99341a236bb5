package dev.netlib.network;

import dev.netlib.Namespace;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Name resolution between containers (Docker's rule: on user-defined networks only) and the hosts
 * files that carry it. A change rewrites the files of the containers it affects only: the container
 * itself and those on the changed networks that resolve names.
 */
final class NameOps {
    private final Host host;

    NameOps(Host host) {
        this.host = host;
    }

    Optional<InetAddress> resolve(String container, String name) {
        for (EndpointConfig peer : new View().peersOf(container)) {
            if (peer.container().equals(name) || peer.aliases().contains(name)) {
                return Optional.of(peer.address().address());
            }
        }
        return Optional.empty();
    }

    Map<String, InetAddress> names(String container) {
        Map<String, InetAddress> out = new LinkedHashMap<>();
        for (EndpointConfig peer : new View().peersOf(container)) {
            out.putIfAbsent(peer.container(), peer.address().address());
            peer.aliases().forEach(a -> out.putIfAbsent(a, peer.address().address()));
        }
        return out;
    }

    /** What {@code container}'s hosts file should say now, and its namespace's name (null: none known). */
    record Wanted(String netns, String content) {}

    /** The wanted hosts file of every container that has endpoints (reconcile). */
    Map<String, Wanted> wantedFiles() {
        View v = new View();
        Map<String, Wanted> out = new LinkedHashMap<>();
        for (String c : v.containers()) {
            out.put(c, v.wanted(c));
        }
        return out;
    }

    /**
     * Rewrites the hosts files of {@code container} and of the containers on those of {@code nets}
     * that resolve names: everyone whose file changes when {@code container} joins or leaves them.
     * {@code netns}: the container's namespace name as its records said (they may be gone now), or null.
     */
    void rewrite(Journal j, String container, String netns, List<NetworkConfig> nets) {
        if (!host.hosts.enabled()) {
            return;
        }
        View v = new View();
        Set<String> containers = new LinkedHashSet<>();
        containers.add(container);
        for (NetworkConfig n : nets) {
            // peers on a network of global scope may live on other hosts, and their names come from
            // the overlay agent (hosts files list only local-scope peers): nothing of theirs to rewrite
            if (n.resolvesNames() && host.driver(n.driver()).scope() == Driver.Scope.LOCAL) {
                v.endpoints(n.name()).forEach(e -> containers.add(e.container()));
            }
        }
        for (String c : containers) {
            Wanted w = v.wanted(c);
            String ns = w.netns() != null ? w.netns() : c.equals(container) && netns != null ? netns
                    : Optional.ofNullable(host.liveNamespaces.get(c)).flatMap(Namespace::name).orElse(null);
            if (w.content() == null) {
                host.hosts.remove(j, ns);
            } else {
                host.hosts.write(j, ns, w.content());
            }
        }
    }

    /**
     * Records read once per operation: the container index in one listing, each network's
     * endpoints on first use. An operation touching a network's containers reads that network once.
     */
    private final class View {
        private final Map<String, List<String>> index = new HashMap<>();
        private final Map<String, Map<String, EndpointConfig>> byNetwork = new HashMap<>();
        private final Map<String, Optional<NetworkConfig>> networks = new HashMap<>();

        View() {
            for (State s : host.states()) {
                s.index().forEach((c, nets) -> index.computeIfAbsent(c, k -> new ArrayList<>()).addAll(nets));
            }
        }

        Set<String> containers() {
            return index.keySet();
        }

        Optional<NetworkConfig> network(String name) {
            return networks.computeIfAbsent(name, host::network);
        }

        /** The network's endpoints by container, in key order. */
        Map<String, EndpointConfig> byContainer(String network) {
            return byNetwork.computeIfAbsent(network, n -> {
                Map<String, EndpointConfig> m = new LinkedHashMap<>();
                network(n).ifPresent(c -> host.stateOf(c).endpoints(n).forEach(e -> m.put(e.container(), e)));
                return m;
            });
        }

        java.util.Collection<EndpointConfig> endpoints(String network) {
            return byContainer(network).values();
        }

        List<EndpointConfig> own(String container) {
            List<EndpointConfig> out = new ArrayList<>();
            for (String n : index.getOrDefault(container, List.of())) {
                EndpointConfig e = byContainer(n).get(container);
                if (e != null) {
                    out.add(e);
                }
            }
            out.sort(State.BY_INTERFACE);
            return out;
        }

        List<EndpointConfig> peersOf(String container) {
            return peersOf(container, true);
        }

        /**
         * {@code withGlobal} false leaves out networks of global scope: their names are written by the
         * overlay agent from the adverts leased to their hosts (which vanish with a host that leaves or
         * dies), not from the durable records here.
         */
        List<EndpointConfig> peersOf(String container, boolean withGlobal) {
            List<EndpointConfig> peers = new ArrayList<>();
            for (EndpointConfig own : own(container)) {
                if (network(own.network()).map(c -> c.resolvesNames()
                        && (withGlobal || host.driver(c.driver()).scope() == Driver.Scope.LOCAL)).orElse(false)) {
                    endpoints(own.network()).stream().filter(e -> !e.container().equals(container)).forEach(peers::add);
                }
            }
            return peers;
        }

        Wanted wanted(String container) {
            List<EndpointConfig> own = own(container);
            String netns = own.stream().map(EndpointConfig::netnsName).filter(Objects::nonNull).findFirst().orElse(null);
            return new Wanted(netns, own.isEmpty() ? null : HostsFiles.render(container, own, peersOf(container, false)));
        }
    }
}
