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
     * container on that one network only), or {@code content} of its own (none: null, no file).
     * {@code netns}: its namespace's name (null: none known). {@code listsPeers}: the content lists the
     * peers of a network whose names resolve, so their operations rewrite it too.
     */
    record Wanted(String netns, String linked, String content, boolean listsPeers) {}

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
     * Registers, before an operation on {@code container} changes its first record, the undo that
     * makes the hosts files the operation touches what the records want: the container's own name,
     * and the own files of its peers on {@code nets} that are on several networks. Registered first,
     * it runs last, once every record is back: written any earlier, from records that still held the
     * undone endpoint, a file would keep it (and another writer reading the records meanwhile too).
     * {@code netns}: the container's namespace as the operation knows it.
     */
    void filesFollowRecordsOnUndo(Journal j, List<NetworkConfig> nets, String container, String netns) {
        if (!host.hosts.enabled()) {
            return;
        }
        j.undo("hosts files of " + container + " and of its peers as the records are", () -> {
            converge(container, netns, host.endpointsOf(container), true);
            for (NetworkConfig n : nets) {
                othersOn(n, container);
            }
        });
    }

    /**
     * The hosts files after endpoint {@code e} joined ({@code joined}) or left network {@code n}:
     * one line of the network's file, the container's own file or link, and the own files of the
     * network's other containers that are on several networks (they list its peers). The files of
     * the containers that share the network's file are not touched: they are that file. {@code own}:
     * the container's endpoints after the change. The network's line is journaled; the files are
     * put back by the operation's {@link #filesFollowRecordsOnUndo}.
     */
    void changed(Journal j, NetworkConfig n, EndpointConfig e, boolean joined, List<EndpointConfig> own) {
        if (!host.hosts.enabled()) {
            return;
        }
        boolean shared = sharesFile(n);
        if (shared && joined) {
            host.hosts.networks().put(j, n.id(), e); // first: the container's name is made a link to it
        }
        converge(e.container(), e.netnsName(), own, true);
        if (shared && !joined) {
            // after the container's name left it: a rollback then puts the line back (the file again,
            // if this was its last line) before its last undo makes the name a link to the file again
            host.hosts.networks().drop(j, n.id(), e.container());
        }
        othersOn(n, e.container());
    }

    /** The file of a container that has no endpoints left, if one remains. */
    void removeFile(String container, String netns) {
        if (host.hosts.enabled()) {
            converge(container, netns, List.of(), true);
        }
    }

    /** The own files of the containers on {@code n} other than {@code except} that are on several networks (they list its peers). */
    private void othersOn(NetworkConfig n, String except) {
        if (sharesFile(n)) {
            for (String other : onSeveralNetworks(n.name(), except)) {
                converge(other, null, null, false);
            }
        }
    }

    /**
     * How often a file that lists peers is written again because their records changed meanwhile:
     * each time, another writer changed them and writes the file itself after its change.
     */
    private static final int CONVERGE_TRIES = 8;

    /**
     * Makes the hosts file of {@code container} what the records want. The container's own
     * operation ({@code owner}, holding its lock; {@code own}: its endpoints after the change) makes
     * any change: a link to its network's file, its own file, no file. Another container's
     * operation (its endpoint is one of the peers the file lists; {@code own} null: read now) only
     * rewrites an own file in place: a name that is missing or a network's file now, or a container
     * with no endpoints, is the container's own operation's, which is under way and writes the name
     * after its records. A file that lists peers is read from the records again after the write and
     * written again if they changed meanwhile: a writer that read them before another writer's change
     * may have written after it. Each writer ends on a read made after its own write, so the last
     * write is of records no older than the last change.
     */
    private void converge(String container, String netns, List<EndpointConfig> own, boolean owner) {
        Wanted w = own != null ? wanted(container, own, host::network, this::endpoints) : wantedNow(container);
        for (int attempt = 1; w != null; attempt++) {
            String ns = w.netns() != null ? w.netns() : netns != null ? netns
                    : Optional.ofNullable(host.liveNamespaces.get(container)).flatMap(Namespace::name).orElse(null);
            if (owner) {
                apply(container, ns, w);
            } else if (w.content() == null || !host.hosts.rewriteIfOwn(ns, w.content())) {
                return; // the container's own operation's: see above
            }
            if (!w.listsPeers() || attempt == CONVERGE_TRIES) {
                return;
            }
            Wanted now = wantedNow(container);
            if (w.equals(now)) {
                return;
            }
            w = now;
        }
    }

    /** Writes the container's name as {@code w} says, unjournaled (see {@link #filesFollowRecordsOnUndo}). */
    private void apply(String container, String ns, Wanted w) {
        Journal undoneByConverge = Journal.discarding("hosts of " + container);
        if (w.linked() != null) {
            host.hosts.link(undoneByConverge, ns, host.hosts.networks().file(w.linked()));
        } else if (w.content() == null) {
            host.hosts.remove(undoneByConverge, ns);
        } else {
            host.hosts.write(undoneByConverge, ns, w.content());
        }
    }

    /** What the records want for {@code container} now; null if it has no endpoints. */
    private Wanted wantedNow(String container) {
        View v = new View();
        List<EndpointConfig> own = v.own(container);
        return own.isEmpty() ? null : wanted(container, own, v::network, v::endpoints);
    }

    private List<EndpointConfig> endpoints(String net) {
        return host.stateOf(host.requireNetwork(net)).endpoints(net);
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
            return new Wanted(netns, only.get().id(), null, false);
        }
        List<EndpointConfig> peers = new ArrayList<>();
        boolean sharing = false;
        for (EndpointConfig o : own) {
            if (network.apply(o.network()).map(this::sharesFile).orElse(false)) {
                sharing = true;
                endpoints.apply(o.network()).stream().filter(p -> !p.container().equals(container)).forEach(peers::add);
            }
        }
        return new Wanted(netns, null, own.isEmpty() ? null : HostsFiles.render(container, own, peers), sharing);
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
