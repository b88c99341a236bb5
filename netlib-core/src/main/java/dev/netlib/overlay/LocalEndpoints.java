package dev.netlib.overlay;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This host's endpoints per network, as announced, and the joins under way (a prepare not yet
 * followed by its advert or abort). Together they decide whether a network's devices must exist on
 * this host: a join under way needs the devices before its veth joins the bridge.
 */
final class LocalEndpoints {
    private final Map<String, Map<String, OverlayEndpoint>> announced = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> preparing = new ConcurrentHashMap<>();

    /** A join of the network begins (its devices are about to be made). */
    void beginJoin(String networkId) {
        preparing.computeIfAbsent(networkId, k -> new AtomicInteger()).incrementAndGet();
    }

    /** A join of the network ends, by its advert or its abort. */
    void endJoin(String networkId) {
        AtomicInteger c = preparing.get(networkId);
        if (c != null) {
            c.decrementAndGet();
        }
    }

    void add(OverlayEndpoint e) {
        announced.computeIfAbsent(e.network().id(), k -> new ConcurrentHashMap<>()).put(e.id(), e);
    }

    /** Removes an endpoint; returns it, or null if this host had not announced it. */
    OverlayEndpoint remove(String networkId, String endpointId) {
        Map<String, OverlayEndpoint> eps = announced.get(networkId);
        return eps == null ? null : eps.remove(endpointId);
    }

    List<OverlayEndpoint> of(String networkId) {
        return List.copyOf(announced.getOrDefault(networkId, Map.of()).values());
    }

    List<OverlayEndpoint> all() {
        return announced.values().stream().flatMap(eps -> eps.values().stream()).toList();
    }

    /** The networks this host has announced endpoints on (also those whose last endpoint went since). */
    Set<String> networkIds() {
        return Set.copyOf(announced.keySet());
    }

    /** True if the network has a local endpoint, announced or being joined. */
    boolean any(String networkId) {
        AtomicInteger p = preparing.get(networkId);
        return !announced.getOrDefault(networkId, Map.of()).isEmpty() || (p != null && p.get() > 0);
    }
}
