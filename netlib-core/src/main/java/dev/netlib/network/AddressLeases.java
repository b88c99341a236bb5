package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.ipam.Allocation;
import dev.netlib.ipam.PoolExhaustedException;
import dev.netlib.ipam.Versioned;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network's addresses, one store key per lease ({@code network/leases/NETWORK/ADDRESS}): taking
 * an address is creating its key (compare-and-swap on "absent", so two processes never both get
 * it), giving it back is deleting exactly the version taken. Nothing else is written, so connects of
 * different containers never contend on one record, and undoing a connect cannot erase what another
 * process allocated meanwhile.
 *
 * <p>Sequential, as Docker's IPAM: the next address after the last one this process handed out on
 * the network (remembered per network id in the JVM), so a just-released address is not reused at
 * once; a taken candidate costs one failed create.
 */
final class AddressLeases {
    /** Network id -> index of the last address handed out by this JVM. */
    private static final Map<String, BigInteger> CURSORS = new ConcurrentHashMap<>();

    private final State state;
    private final String network;

    AddressLeases(State state, String network) {
        this.state = state;
        this.network = network;
    }

    /**
     * Takes {@code requested} (or, if null, the next free address) for {@code container}; undo:
     * delete exactly that lease.
     */
    InetAddress allocate(Journal j, NetworkConfig n, InetAddress requested, String container, Owner owner) {
        String value = new Lease(container, owner).encode();
        if (requested != null) {
            if (!take(j, requested, value)) {
                throw new InvalidConfigException("Address already in use: " + IpAddresses.format(requested) + " on network " + n.name()
                        + ownerOf(requested).map(o -> " (by " + o + ")").orElse(""));
            }
            return requested;
        }
        IpPrefix subnet = n.subnet();
        BigInteger first = subnet.indexOf(subnet.firstUsable());
        BigInteger last = subnet.indexOf(subnet.lastUsable());
        BigInteger span = last.subtract(first).add(BigInteger.ONE);
        BigInteger cursor = CURSORS.getOrDefault(n.id(), first.subtract(BigInteger.ONE));
        for (BigInteger k = BigInteger.ONE; k.compareTo(span) <= 0; k = k.add(BigInteger.ONE)) {
            BigInteger i = cursor.subtract(first).add(k).mod(span).add(first);
            InetAddress candidate = subnet.nth(i);
            if (candidate.equals(n.gateway())) {
                continue;
            }
            if (take(j, candidate, value)) {
                CURSORS.put(n.id(), i);
                return candidate;
            }
        }
        throw new PoolExhaustedException("network " + n.name() + ": every address of " + subnet + " is leased (" + state.store().describe() + ")");
    }

    private boolean take(Journal j, InetAddress address, String value) {
        String key = State.leaseKey(network, address);
        OptionalLong v = state.store().compareAndSet(key, 0, value);
        if (v.isEmpty()) {
            return false;
        }
        j.undo("release lease " + key, () -> state.store().delete(key, v.getAsLong()));
        return true;
    }

    /** Releases {@code address} if {@code container} holds it; undo: take it again for the same holder. */
    void release(Journal j, InetAddress address, String container) {
        String key = State.leaseKey(network, address);
        Optional<Versioned> v = state.store().get(key);
        if (v.isEmpty() || !Lease.decode(key, v.get().value()).container().equals(container)) {
            return;
        }
        if (!state.store().delete(key, v.get().version())) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("re-take lease " + key, () -> state.store().compareAndSet(key, 0, v.get().value()));
    }

    /** The holder of {@code address}, if leased. */
    Optional<String> ownerOf(InetAddress address) {
        String key = State.leaseKey(network, address);
        return state.store().get(key).map(v -> Lease.decode(key, v.value()).container());
    }

    /** Every lease of the network with its key's version. */
    Map<String, Versioned> records() {
        return state.list(State.LEASES + network + "/");
    }

    /** Every lease: address and holder. */
    List<Allocation> allocations() {
        List<Allocation> out = new ArrayList<>();
        records().forEach((k, v) -> out.add(new Allocation(IpAddresses.parse(k.substring(k.lastIndexOf('/') + 1)),
                Lease.decode(k, v.value()).container())));
        return out;
    }
}
