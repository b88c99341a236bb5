package dev.netlib.network;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to the {@link StateStore}, with every write journaled so a failed operation takes it
 * back. Layout (all under {@code network/}):
 * <ul>
 *   <li>{@code networks/NAME}: a {@link NetworkConfig}</li>
 *   <li>{@code endpoints/NETWORK/CONTAINER}: an {@link EndpointConfig}</li>
 *   <li>{@code subnets/SUBNET}: the network holding the subnet (its lease)</li>
 *   <li>{@code addresses/NETWORK/IP}: the container holding the address (its lease)</li>
 *   <li>{@code pending/ID}: what an operation in progress is creating, removed when it ends; after a
 *       crash, {@link Networks#reconcile} removes what it lists</li>
 * </ul>
 * Claims are created with compare-and-swap on an absent key, so two processes never both get one.
 */
final class State {
    static final String ROOT = "network/";
    static final String NETWORKS = ROOT + "networks/";
    static final String ENDPOINTS = ROOT + "endpoints/";
    static final String SUBNETS = ROOT + "subnets/";
    static final String ADDRESSES = ROOT + "addresses/";
    static final String PENDING = ROOT + "pending/";

    private final StateStore store;

    State(StateStore store) {
        this.store = store;
    }

    StateStore store() {
        return store;
    }

    static String networkKey(String name) {
        return NETWORKS + name;
    }

    static String endpointKey(String network, String container) {
        return ENDPOINTS + network + "/" + container;
    }

    static String subnetKey(IpPrefix subnet) {
        return SUBNETS + subnet.toString().replace('/', '_');
    }

    static String addressKey(String network, InetAddress address) {
        return ADDRESSES + network + "/" + IpAddresses.format(address);
    }

    Optional<NetworkConfig> network(String name) {
        return store.get(networkKey(name)).map(e -> NetworkConfig.decode(e.key(), e.value()));
    }

    List<NetworkConfig> networks() {
        return store.list(NETWORKS).stream().map(e -> NetworkConfig.decode(e.key(), e.value())).toList();
    }

    Optional<EndpointConfig> endpoint(String network, String container) {
        return store.get(endpointKey(network, container)).map(e -> EndpointConfig.decode(e.key(), e.value()));
    }

    List<EndpointConfig> endpoints(String network) {
        return store.list(ENDPOINTS + network + "/").stream().map(e -> EndpointConfig.decode(e.key(), e.value())).toList();
    }

    List<EndpointConfig> allEndpoints() {
        return store.list(ENDPOINTS).stream().map(e -> EndpointConfig.decode(e.key(), e.value())).toList();
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

    List<StateStore.Entry> list(String prefix) {
        return store.list(prefix);
    }

    // ---- journaled writes ---------------------------------------------------------------------

    /** Creates {@code key}; fails if it exists (someone else holds the claim). */
    void create(Journal j, String key, String value, String conflictMessage) {
        long v = store.compareAndPut(key, value, 0);
        if (v < 0) {
            throw new ConcurrentChangeException(conflictMessage);
        }
        j.undo("store create " + key, () -> store.compareAndDelete(key, v));
    }

    /** Replaces the value of an existing key. */
    void replace(Journal j, String key, String value) {
        StateStore.Entry old = store.get(key).orElseThrow(() -> new ConcurrentChangeException(
                key + " was removed by another process meanwhile; retry"));
        long v = store.compareAndPut(key, value, old.version());
        if (v < 0) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("store replace " + key, () -> store.compareAndPut(key, old.value(), v));
    }

    /** Deletes {@code key} if present. */
    void delete(Journal j, String key) {
        Optional<StateStore.Entry> old = store.get(key);
        if (old.isEmpty()) {
            return;
        }
        if (!store.compareAndDelete(key, old.get().version())) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("store delete " + key, () -> store.compareAndPut(key, old.get().value(), 0));
    }

    /** Deletes without journal (reconcile repairs). */
    void forceDelete(String key) {
        store.get(key).ifPresent(e -> store.compareAndDelete(key, e.version()));
    }
}
