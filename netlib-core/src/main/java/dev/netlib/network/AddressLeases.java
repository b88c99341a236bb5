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

/**
 * A network's addresses, one store key per lease ({@code network/leases/NETWORK/ADDRESS}): taking
 * an address is creating its key (compare-and-swap on "absent", so two processes never both get
 * it), giving it back is deleting exactly the version taken. Nothing else is written, so connects of
 * different containers never contend on one record, and undoing a connect cannot erase what another
 * process allocated meanwhile.
 *
 * <p>Sequential, as Docker's IPAM: the next address after the last one handed out on the network,
 * so a just-released address is not reused at once. The last one is a hint under {@code
 * network/cursors/NETWORK}, written as soon as the lease is taken (so a process that dies afterwards
 * has still moved the sequence past its address, as Docker's allocator does; an in-process failure
 * puts it back with the rest), with a compare-and-swap that gives way to any other writer: no
 * connect waits on it, and a stale hint costs only failed creates (one per taken candidate).
 */
final class AddressLeases {
    /**
     * Network id -> the last address this JVM took there, with the hint's version it started from:
     * while the hint still has that version nobody wrote it since, and this (which may be newer,
     * e.g. an operation that failed before writing the hint) wins.
     */
    private static final java.util.Map<String, Local> LOCAL = new java.util.concurrent.ConcurrentHashMap<>();

    private record Local(long hintVersion, BigInteger index) {}

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
        BigInteger cursor = first.subtract(BigInteger.ONE);
        Optional<Versioned> hint = state.store().get(State.cursorKey(network));
        long hintVersion = hint.map(Versioned::version).orElse(0L);
        Local local = LOCAL.get(n.id());
        if (local != null && local.hintVersion() == hintVersion) {
            cursor = local.index();
        } else if (hint.isPresent()) {
            try {
                InetAddress hinted = IpAddresses.parse(hint.get().value().trim());
                if (subnet.contains(hinted)) {
                    cursor = subnet.indexOf(hinted);
                }
            } catch (RuntimeException e) {
                // a damaged hint only costs the sequence: start from the beginning
            }
        }
        for (BigInteger k = BigInteger.ONE; k.compareTo(span) <= 0; k = k.add(BigInteger.ONE)) {
            BigInteger i = cursor.subtract(first).add(k).mod(span).add(first);
            InetAddress candidate = subnet.nth(i);
            if (candidate.equals(n.gateway())) {
                continue;
            }
            if (take(j, candidate, value)) {
                hint(j, n, candidate, hint, i);
                return candidate;
            }
        }
        throw new PoolExhaustedException("network " + n.name() + ": every address of " + subnet + " is leased (" + state.store().describe() + ")");
    }

    /**
     * Records {@code address} (index {@code i}) as the last one handed out, if nobody moved the hint
     * since it was read ({@code old}), right after the lease is taken: a process that dies later
     * leaves the sequence past its address, as Docker's allocator does. Undo (a failure inside this
     * process) puts back the previous hint, if the hint is still the one written here. Never fails
     * on a conflict: another writer's newer hint wins.
     */
    private void hint(Journal j, NetworkConfig n, InetAddress address, Optional<Versioned> old, BigInteger i) {
        String key = State.cursorKey(network);
        OptionalLong v = state.store().compareAndSet(key, old.map(Versioned::version).orElse(0L), IpAddresses.format(address));
        LOCAL.put(n.id(), new Local(v.isPresent() ? v.getAsLong() : old.map(Versioned::version).orElse(0L), i));
        if (v.isPresent()) {
            j.undo("restore hint " + key, () -> {
                // no hint again for a network removed meanwhile: its removal could not drop the
                // hint this connect was writing, and the old one would outlive the network
                if (old.isEmpty() || state.network(n.name()).filter(now -> now.id().equals(n.id())).isEmpty()) {
                    state.store().delete(key, v.getAsLong());
                } else {
                    state.store().compareAndSet(key, v.getAsLong(), old.get().value());
                }
            });
        }
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

    /**
     * Releases {@code address} if {@code container} holds it; undo: take it again for the same
     * holder. A lease deleted meanwhile (the network's removal deletes the leases whose connects
     * have ended, and a disconnect's lease is such a one once its record is gone) is released
     * already: nothing to do, and nothing to fail the disconnect for.
     */
    void release(Journal j, InetAddress address, String container) {
        String key = State.leaseKey(network, address);
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned> v = state.store().get(key);
            if (v.isEmpty() || !Lease.decode(key, v.get().value()).container().equals(container)) {
                return;
            }
            if (state.store().delete(key, v.get().version())) {
                j.undo("re-take lease " + key, () -> state.store().compareAndSet(key, 0, v.get().value()));
                return;
            }
            if (attempt == 3) {
                throw new ConcurrentChangeException(key + " kept changing; retry");
            }
        }
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
