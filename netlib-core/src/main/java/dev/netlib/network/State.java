package dev.netlib.network;

import dev.netlib.ipam.IpPool;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.SubnetAllocator;
import dev.netlib.ipam.Versioned;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network layer's state in the IPAM store, with every write journaled so a failed operation
 * takes it back. Layout:
 * <ul>
 *   <li>{@code network/networks/NAME}: a {@link NetworkConfig}</li>
 *   <li>{@code network/endpoints/NETWORK/CONTAINER}: an {@link EndpointConfig}</li>
 *   <li>{@code network/pending/ID}: what an operation in progress is doing, removed when it ends;
 *       after a crash, {@link Networks#reconcile} finishes or rolls back what it lists</li>
 *   <li>{@code ipam/subnets}: the subnet leases ({@link SubnetAllocator}, owner {@code network:NAME})</li>
 *   <li>{@code ipam/pools/net-NAME}: each network's address pool ({@link IpPool}, owner = container)</li>
 * </ul>
 */
final class State {
    private static final Logger LOG = LoggerFactory.getLogger(State.class);
    static final String ROOT = "network/";
    static final String NETWORKS = ROOT + "networks/";
    static final String ENDPOINTS = ROOT + "endpoints/";
    static final String PENDING = ROOT + "pending/";

    private final IpamStore store;
    private final SubnetAllocator subnets;

    State(IpamStore store) {
        this.store = store;
        this.subnets = SubnetAllocator.withDockerDefaults(store);
    }

    IpamStore store() {
        return store;
    }

    SubnetAllocator subnets() {
        return subnets;
    }

    static String networkKey(String name) {
        return NETWORKS + name;
    }

    static String endpointKey(String network, String container) {
        return ENDPOINTS + network + "/" + container;
    }

    static String poolName(String network) {
        return "net-" + network;
    }

    static String poolKey(String network) {
        return IpPool.KEY_PREFIX + poolName(network);
    }

    static String subnetOwner(String network) {
        return "network:" + network;
    }

    IpPool pool(String network) {
        return IpPool.open(store, poolName(network));
    }

    Optional<NetworkConfig> network(String name) {
        return store.get(networkKey(name)).map(v -> NetworkConfig.decode(networkKey(name), v.value()));
    }

    List<NetworkConfig> networks() {
        return store.list(NETWORKS).entrySet().stream().map(e -> NetworkConfig.decode(e.getKey(), e.getValue().value())).toList();
    }

    Optional<EndpointConfig> endpoint(String network, String container) {
        String key = endpointKey(network, container);
        return store.get(key).map(v -> EndpointConfig.decode(key, v.value()));
    }

    List<EndpointConfig> endpoints(String network) {
        return decodeEndpoints(store.list(ENDPOINTS + network + "/"));
    }

    List<EndpointConfig> allEndpoints() {
        return decodeEndpoints(store.list(ENDPOINTS));
    }

    private static List<EndpointConfig> decodeEndpoints(SortedMap<String, Versioned> entries) {
        return entries.entrySet().stream().map(e -> EndpointConfig.decode(e.getKey(), e.getValue().value())).toList();
    }

    /** The endpoints of one container, in the order of their interface names (eth0, eth1...). */
    List<EndpointConfig> endpointsOf(String container) {
        return allEndpoints().stream().filter(e -> e.container().equals(container))
                .sorted((a, b) -> Integer.compare(ifIndex(a.ifName()), ifIndex(b.ifName()))).toList();
    }

    static int ifIndex(String ifName) {
        try {
            return Integer.parseInt(ifName.replaceAll("^\\D+", ""));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    SortedMap<String, Versioned> list(String prefix) {
        return store.list(prefix);
    }

    // ---- journaled writes ---------------------------------------------------------------------

    /** Creates {@code key}; fails if it exists (someone else holds it). Returns the version written. */
    long create(Journal j, String key, String value, String conflictMessage) {
        OptionalLong v = store.compareAndSet(key, 0, value);
        if (v.isEmpty()) {
            throw new ConcurrentChangeException(conflictMessage);
        }
        j.undo("store create " + key, () -> store.delete(key, v.getAsLong()));
        return v.getAsLong();
    }

    /** Replaces the value of an existing key. */
    void replace(Journal j, String key, String value) {
        Versioned old = store.get(key).orElseThrow(() -> new ConcurrentChangeException(
                key + " was removed by another process meanwhile; retry"));
        OptionalLong v = store.compareAndSet(key, old.version(), value);
        if (v.isEmpty()) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("store replace " + key, () -> store.compareAndSet(key, v.getAsLong(), old.value()));
    }

    /** Deletes {@code key} if present. */
    void delete(Journal j, String key) {
        Optional<Versioned> old = store.get(key);
        if (old.isEmpty()) {
            return;
        }
        if (!store.delete(key, old.get().version())) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("store delete " + key, () -> store.compareAndSet(key, 0, old.get().value()));
    }

    /**
     * Runs {@code op}, which changes {@code key} through another component (an {@link IpPool}, the
     * {@link SubnetAllocator}). Its undo puts the key's value back exactly as it was (so even a pool's
     * sequential cursor is as before); if another writer changed the key meanwhile it runs {@code
     * fallback} (a release) instead, which keeps their change.
     */
    <T> T around(Journal j, String key, Supplier<T> op, Runnable fallback) {
        Optional<Versioned> before = store.get(key);
        T result = op.get();
        Optional<Versioned> after = store.get(key);
        j.undo("restore " + key, () -> {
            boolean restored;
            if (after.isEmpty()) {
                restored = before.isEmpty() || store.compareAndSet(key, 0, before.get().value()).isPresent();
            } else if (before.isEmpty()) {
                restored = store.delete(key, after.get().version());
            } else {
                restored = store.compareAndSet(key, after.get().version(), before.get().value()).isPresent();
            }
            if (!restored) {
                LOG.debug("{} changed meanwhile; undoing by a release instead of restoring it", key);
                fallback.run();
            }
        });
        return result;
    }

    /** Deletes without journal (reconcile repairs). */
    void forceDelete(String key) {
        store.get(key).ifPresent(v -> store.delete(key, v.version()));
    }

    /** Keys and values, for tests comparing states. */
    Map<String, String> contents() {
        Map<String, String> out = new java.util.TreeMap<>();
        store.list("").forEach((k, v) -> out.put(k, v.value()));
        return out;
    }
}
