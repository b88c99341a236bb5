package dev.netlib.network;

import dev.netlib.Namespace;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Name resolution between containers (Docker's rule: on user-defined networks only) and the hosts
 * files that carry it. A network whose names resolve has one file ({@link NetworkHostsFiles}) that
 * its containers on no other network share; a change writes that file's one line, the changed
 * container's file, and the own files of the network's containers that are on several networks.
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

    /**
     * True if the containers of {@code n} share one hosts file ({@link NetworkHostsFiles}): its names
     * resolve, and all its peers' names come from this host's records (a network of global scope
     * gets its remote peers' names from the overlay agent, per container).
     */
    boolean sharesFile(NetworkConfig n) {
        return n.resolvesNames() && host.driver(n.driver()).scope() == Driver.Scope.LOCAL;
    }

    /**
     * What a container's hosts file should be: a link to the file of the network with id {@code linked} (a
     * container on that one network only), or {@code content} of its own. {@code netns}: its
     * namespace's name (null: none known).
     */
    record Wanted(String netns, String linked, String content) {}

    /** Every container's wanted file, and the wanted content of every sharing network's file by network id (reconcile). */
    record WantedFiles(Map<String, Wanted> containers, Map<String, String> networks) {}

    WantedFiles wantedFiles() {
        View v = new View();
        Map<String, Wanted> containers = new LinkedHashMap<>();
        for (String c : v.containers()) {
            List<EndpointConfig> own = v.own(c);
            if (!own.isEmpty()) {
                containers.put(c, wanted(c, own, v::network, v::endpoints));
            }
        }
        Map<String, String> networks = new TreeMap<>();
        for (State s : host.states()) {
            for (NetworkConfig n : s.networks()) {
                String content = sharesFile(n) ? NetworkHostsFiles.render(v.endpoints(n.name())) : null;
                if (content != null) {
                    networks.put(n.id(), content);
                }
            }
        }
        return new WantedFiles(containers, networks);
    }

    /**
     * The hosts files after endpoint {@code e} joined ({@code joined}) or left network {@code n}:
     * one line of the network's file, the container's own file or link, and the own files of the
     * network's other containers that are on several networks (they list its peers). The files of
     * the containers that share the network's file are not touched: they are that file. {@code own}:
     * the container's endpoints after the change.
     */
    void changed(Journal j, NetworkConfig n, EndpointConfig e, boolean joined, List<EndpointConfig> own) {
        changed(j, n, e, joined, own, List.of(e));
    }

    /**
     * As {@link #changed(Journal, NetworkConfig, EndpointConfig, boolean, List)}, for one of the
     * endpoints {@code changes} that one operation adds or removes together (a container's deletion
     * removes all of its): the files' undos write them as the records will be once all are undone.
     */
    void changed(Journal j, NetworkConfig n, EndpointConfig e, boolean joined, List<EndpointConfig> own, List<EndpointConfig> changes) {
        if (!host.hosts.enabled()) {
            return;
        }
        boolean shared = sharesFile(n);
        if (shared && joined) {
            host.hosts.networks().put(j, n.id(), e); // first: the container's name is made a link to it
        }
        writeFileUndoable(j, e.container(), e.netnsName(), own, changes, joined);
        if (shared && !joined) {
            // after the container's name left it: a rollback then puts the line back (the file
            // again, if this was its last line) before it makes the name a link to the file again;
            // the other way round the file was gone when the name was put back, which became a
            // copy of its own instead of a link
            host.hosts.networks().drop(j, n.id(), e.container());
        }
        if (shared) {
            for (String other : onSeveralNetworks(n.name(), e.container())) {
                writeFileUndoable(j, other, null, host.endpointsOf(other), changes, joined);
            }
        }
    }

    /** The file of a container that has no endpoints left, if one remains. */
    void removeFile(Journal j, String container, String netns) {
        if (host.hosts.enabled()) {
            writeFile(j, container, netns, List.of());
        }
    }

    /**
     * Writes the container's file as {@code own} wants it, with an undo that writes it again as the
     * records will want it once the operation that adds ({@code joined}) or removes the endpoints
     * {@code changes} is undone: without them if they joined, with them if they left. Not the
     * content read before: the operation of another container on one of its networks may have
     * rewritten the file since (its line added), and putting the old content back lost that line.
     */
    private void writeFileUndoable(Journal j, String container, String netns, List<EndpointConfig> own, List<EndpointConfig> changes,
            boolean joined) {
        writeFile(new Journal("hosts of " + container), container, netns, own, this::endpoints); // its undo: the one below
        j.undo("hosts of " + container + " as before " + (joined ? "the connect" : "the removal"), () -> {
            Function<String, Collection<EndpointConfig>> undone = net -> undo(endpoints(net), changes, joined, e -> e.network().equals(net));
            List<EndpointConfig> ownUndone = undo(host.endpointsOf(container), changes, joined, e -> e.container().equals(container));
            ownUndone.sort(State.BY_INTERFACE);
            String ns = netns != null ? netns : changes.stream().filter(e -> e.container().equals(container)).map(EndpointConfig::netnsName)
                    .filter(Objects::nonNull).findFirst().orElse(null);
            writeFile(new Journal("undo hosts of " + container), container, ns, ownUndone, undone);
        });
    }

    /** {@code now} without {@code changes} if they joined, with those that {@code belong} if they left. */
    private static List<EndpointConfig> undo(Collection<EndpointConfig> now, List<EndpointConfig> changes, boolean joined,
            java.util.function.Predicate<EndpointConfig> belong) {
        List<EndpointConfig> out = new ArrayList<>(now);
        out.removeIf(x -> changes.stream().anyMatch(c -> c.container().equals(x.container()) && c.network().equals(x.network())));
        if (!joined) {
            changes.stream().filter(belong).forEach(out::add);
        }
        return out;
    }

    private List<EndpointConfig> endpoints(String net) {
        return host.stateOf(host.requireNetwork(net)).endpoints(net);
    }

    /** The container's file as {@code own} (its endpoints) wants it; {@code netns}: its namespace as the change's record said. */
    private void writeFile(Journal j, String container, String netns, List<EndpointConfig> own) {
        writeFile(j, container, netns, own, this::endpoints);
    }

    private void writeFile(Journal j, String container, String netns, List<EndpointConfig> own,
            Function<String, Collection<EndpointConfig>> endpointsOf) {
        Wanted w = wanted(container, own, host::network, endpointsOf);
        String ns = w.netns() != null ? w.netns() : netns != null ? netns
                : Optional.ofNullable(host.liveNamespaces.get(container)).flatMap(Namespace::name).orElse(null);
        if (own.isEmpty()) {
            host.hosts.remove(j, ns);
        } else if (w.linked() != null) {
            host.hosts.link(j, ns, host.hosts.networks().file(w.linked()));
        } else {
            host.hosts.write(j, ns, w.content());
        }
    }

    /** The containers on {@code network} other than {@code except} that are on several networks, from the index's key names alone. */
    private Set<String> onSeveralNetworks(String network, String except) {
        Map<String, Integer> count = new HashMap<>();
        Set<String> on = new LinkedHashSet<>();
        for (State s : host.states()) {
            s.index().forEach((c, nets) -> {
                count.merge(c, nets.size(), Integer::sum);
                if (nets.contains(network) && !c.equals(except)) {
                    on.add(c);
                }
            });
        }
        on.removeIf(c -> count.get(c) < 2);
        return on;
    }

    /**
     * The file a container with endpoints {@code own} should have: on one network that shares its
     * file, a link to it; else its own: localhost, its addresses, the peers of its sharing networks.
     */
    private Wanted wanted(String container, List<EndpointConfig> own, Function<String, Optional<NetworkConfig>> network,
            Function<String, Collection<EndpointConfig>> endpoints) {
        String netns = own.stream().map(EndpointConfig::netnsName).filter(Objects::nonNull).findFirst().orElse(null);
        Optional<NetworkConfig> only = own.size() == 1 ? network.apply(own.get(0).network()).filter(this::sharesFile) : Optional.empty();
        if (only.isPresent()) {
            return new Wanted(netns, only.get().id(), null);
        }
        List<EndpointConfig> peers = new ArrayList<>();
        for (EndpointConfig o : own) {
            if (network.apply(o.network()).map(this::sharesFile).orElse(false)) {
                endpoints.apply(o.network()).stream().filter(p -> !p.container().equals(container)).forEach(peers::add);
            }
        }
        return new Wanted(netns, null, own.isEmpty() ? null : HostsFiles.render(container, own, peers));
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

        Collection<EndpointConfig> endpoints(String network) {
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

        /** Everyone the container may resolve: its peers on its networks whose names resolve, of both scopes. */
        List<EndpointConfig> peersOf(String container) {
            List<EndpointConfig> peers = new ArrayList<>();
            for (EndpointConfig own : own(container)) {
                if (network(own.network()).map(NetworkConfig::resolvesNames).orElse(false)) {
                    endpoints(own.network()).stream().filter(e -> !e.container().equals(container)).forEach(peers::add);
                }
            }
            return peers;
        }
    }
}
