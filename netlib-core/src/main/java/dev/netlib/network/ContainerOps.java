package dev.netlib.network;

import dev.netlib.Namespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Container namespaces: deleting a container with its endpoints, and Docker's none / host / container modes. */
final class ContainerOps {
    private final Host host;
    private final EndpointOps endpoints;
    private final NameOps names;

    ContainerOps(Host host, EndpointOps endpoints, NameOps names) {
        this.host = host;
        this.endpoints = endpoints;
        this.names = names;
    }

    void disconnectAll(String container) {
        for (EndpointConfig e : host.endpointsOf(container)) {
            endpoints.disconnect(e.network(), container);
        }
    }

    void deleteContainer(String container, Namespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        Names.check("container", container);
        StoreLock.container(host.local, container, "delete container " + container, () -> {
            delete(container, namespace);
            return null;
        });
        host.liveNamespaces.remove(container);
    }

    /** {@link #deleteContainer}, under the container's lock: no connect of it can come in between. */
    private void delete(String container, Namespace namespace) {
        List<EndpointConfig> eps = host.endpointsOf(container);
        List<NetworkConfig> nets = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<KernelLink> links = new ArrayList<>();
        for (EndpointConfig e : eps) {
            NetworkConfig n = host.requireNetwork(e.network());
            nets.add(n);
            keys.add(State.endpointKey(e.network(), container));
            links.addAll(host.driver(n.driver()).endpointLinks(e.id(), e.netnsName(), e.ifName()));
        }
        // one store holds the note: the local one, or the global one if every endpoint is there
        State noteState = nets.isEmpty() ? host.local : host.stateOf(nets.get(0));
        host.runner.run(noteState, eps.isEmpty() ? null : OperationRunner.Plan.removing("delete container " + container, keys, links,
                namespace.name().map(Paths::checkNetnsName).map(List::of).orElse(List.of())), step -> {
            Journal j = step.journal();
            names.filesFollowRecordsOnUndo(j, nets, container, namespace.name().orElse(null)); // first: its undo runs last
            List<Integer> mine = new ArrayList<>(); // those not removed by another process meanwhile (its removal updates the files)
            for (int i = 0; i < eps.size(); i++) {
                if (endpoints.claimRemoval(j, host.stateOf(nets.get(i)), eps.get(i))) {
                    mine.add(i);
                }
            }
            for (int i : mine) {
                names.changed(j, nets.get(i), eps.get(i), false, List.of()); // (the container's file goes with the first)
            }
            for (int i : mine) {
                endpoints.release(j, host.stateOf(nets.get(i)), eps.get(i)); // after what others can make fail (EndpointOps#release)
            }
            names.removeFile(container, namespace.name().orElse(null));
            namespace.delete(); // the one step that cannot be undone comes last
            return null;
        });
    }

    Namespace none(String namespaceName) {
        Namespace ns = host.host.namespaces().create(Paths.checkNetnsName(namespaceName));
        try {
            host.host.in(ns).link("lo").up();
            return ns;
        } catch (RuntimeException e) {
            try {
                ns.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    Namespace container(String reference) {
        String ref = reference.startsWith("container:") ? reference.substring("container:".length()) : reference;
        Namespace live = host.liveNamespaces.get(ref);
        if (live != null && !live.isClosed() && live.name().isPresent()) {
            return host.host.namespaces().open(live.name().get());
        }
        for (EndpointConfig e : Names.valid(ref) ? host.endpointsOf(ref) : List.<EndpointConfig>of()) {
            if (e.netnsName() != null) {
                return host.host.namespaces().open(e.netnsName());
            }
        }
        if (ref.startsWith("/")) {
            return host.host.namespaces().open(Path.of(ref));
        }
        if (!ref.isEmpty() && ref.chars().allMatch(Character::isDigit)) {
            return host.host.namespaces().ofPid(Long.parseLong(ref));
        }
        if (host.host.namespaces().list().contains(ref)) {
            return host.host.namespaces().open(ref);
        }
        throw new NetworkNotFoundException("no container, namespace or process named " + ref);
    }
}
