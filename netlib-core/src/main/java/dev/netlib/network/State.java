package dev.netlib.network;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.SubnetAllocator;
import dev.netlib.ipam.Versioned;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The network layer's records in one store: small, independent keys, so operations on different
 * endpoints touch different keys and a connect reads and writes the same few keys at the 1,000th
 * endpoint as at the first. Every write is journaled with its exact compensation. Layout:
 * <ul>
 *   <li>{@code network/networks/NAME}: a {@link NetworkConfig}</li>
 *   <li>{@code network/endpoints/NETWORK/CONTAINER}: an {@link EndpointConfig}</li>
 *   <li>{@code network/containers/CONTAINER/NETWORK}: the container's index of its endpoints (value: the interface name)</li>
 *   <li>{@code network/leases/NETWORK/ADDRESS}: one address lease ({@link Lease}: container and owning operation)</li>
 *   <li>{@code network/cursors/NETWORK}: the last address handed out on the network, a hint for the next</li>
 *   <li>{@code network/pending/ID}: an operation in progress and its {@link Owner}, removed when it ends</li>
 *   <li>{@code network/pending/remove-network-NAME-ID}: the note of the removal of network NAME (id ID),
 *       at a key of its own so that a connect can see it ({@link #requireNotRemoved})</li>
 *   <li>{@code ipam/subnets}: the subnet leases ({@link SubnetAllocator}, owner {@code network:NAME@OPERATION}; absent when empty)</li>
 * </ul>
 */
final class State {
    static final String ROOT = "network/";
    static final String NETWORKS = ROOT + "networks/";
    static final String ENDPOINTS = ROOT + "endpoints/";
    static final String CONTAINERS = ROOT + "containers/";
    static final String LEASES = ROOT + "leases/";
    static final String PENDING = ROOT + "pending/";
    static final String CURSORS = ROOT + "cursors/";

    private final IpamStore store;
    private final SubnetAllocator subnets;
    private final boolean shared;

    /** {@code shared}: other hosts write this store too (global scope). */
    State(IpamStore store, boolean shared) {
        this.store = store;
        this.subnets = SubnetAllocator.withDockerDefaults(store);
        this.shared = shared;
    }

    IpamStore store() {
        return store;
    }

    SubnetAllocator subnets() {
        return subnets;
    }

    boolean shared() {
        return shared;
    }

    static String networkKey(String name) {
        return NETWORKS + name;
    }

    static String endpointKey(String network, String container) {
        return ENDPOINTS + network + "/" + container;
    }

    static String indexKey(String container, String network) {
        return CONTAINERS + container + "/" + network;
    }

    static String leaseKey(String network, InetAddress address) {
        return LEASES + network + "/" + IpAddresses.format(address);
    }

    static String cursorKey(String network) {
        return CURSORS + network;
    }

    /**
     * The note of the removal of network {@code n}, at a key of its own ({@link
     * OperationRunner.Plan#noteAt}): a connect reads it after storing its address lease, so a
     * removal that read the leases before that lease existed is seen by the connect. The key names
     * the network's id too: the removal of an earlier network of that name, still finishing, does
     * not hold up connects to the new one.
     */
    static String removalNoteKey(NetworkConfig n) {
        return PENDING + "remove-network-" + n.name() + "-" + n.id();
    }

    /**
     * The subnet lease's owner tag: the network and the operation that took it ({@code
     * network:NAME@BOOT/PID/START/SEQ}), so that until the network's record exists another process
     * can tell a creation in progress from one whose process died.
     */
    static String subnetOwner(String network, Owner op) {
        return "network:" + network + "@" + op.encode();
    }

    /** The network a subnet lease's owner tag names, or null if the tag is not the network layer's. */
    static String subnetNetwork(String tag) {
        if (!tag.startsWith("network:")) {
            return null;
        }
        int at = tag.indexOf('@');
        return tag.substring("network:".length(), at < 0 ? tag.length() : at);
    }

    /** The operation in a subnet lease's owner tag, or null (tags written before operations had owners). */
    static Owner subnetOp(String tag) {
        int at = tag.indexOf('@');
        return at < 0 ? null : Owner.decode(SubnetAllocator.KEY, tag.substring(at + 1));
    }

    /** The address leases of a network (tests and reconcile). */
    AddressLeases pool(String network) {
        return new AddressLeases(this, network);
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

    /** An endpoint's record and the store's version of it: a record written again with the same value has another version. */
    record SeenEndpoint(EndpointConfig config, long version) {}

    /** As {@link #endpoint}, with the version read. */
    Optional<SeenEndpoint> endpointSeen(String network, String container) {
        String key = endpointKey(network, container);
        return store.get(key).map(v -> new SeenEndpoint(EndpointConfig.decode(key, v.value()), v.version()));
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

    /** The endpoints of one container, through its index, in the order of their interface names (eth0, eth1...). */
    List<EndpointConfig> endpointsOf(String container) {
        List<EndpointConfig> out = new ArrayList<>();
        for (String key : store.keys(CONTAINERS + container + "/")) {
            endpoint(key.substring(key.lastIndexOf('/') + 1), container).ifPresent(out::add);
        }
        out.sort(BY_INTERFACE);
        return out;
    }

    /** The networks every container has an index entry for, from one listing: container -> networks. */
    Map<String, List<String>> index() {
        Map<String, List<String>> out = new TreeMap<>();
        for (String key : store.keys(CONTAINERS)) {
            String rest = key.substring(CONTAINERS.length());
            int slash = rest.indexOf('/');
            out.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(rest.substring(slash + 1));
        }
        return out;
    }

    static final Comparator<EndpointConfig> BY_INTERFACE = Comparator.comparingInt(e -> ifIndex(e.ifName()));

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

    // ---- journaled writes, each undone by its exact compensation --------------------------------

    /** Creates {@code key}; fails if it exists (someone else holds it). Undo: delete the version written. Returns that version. */
    long create(Journal j, String key, String value, String conflictMessage) {
        OptionalLong v = store.compareAndSet(key, 0, value);
        if (v.isEmpty()) {
            throw new ConcurrentChangeException(conflictMessage);
        }
        j.undo("store delete " + key, () -> store.delete(key, v.getAsLong()));
        return v.getAsLong();
    }

    /**
     * Stores the note {@code value} at the fixed {@code key} ({@link OperationRunner.Plan#noteAt}).
     * A note there whose owner is alive is the same operation under way in another process: refused.
     * One whose owner died is taken over (reconcile would only have finished or dropped it; the
     * operation that takes it over does the same work). Undo: delete the version written.
     */
    long takeNote(Journal j, String key, String value, String operation) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Versioned> there = store.get(key);
            OptionalLong v;
            if (there.isEmpty()) {
                v = store.compareAndSet(key, 0, value);
            } else {
                Owner holder = noteOwner(key, there.get());
                if (holder != null && Liveness.alive(holder, this)) {
                    throw new ConcurrentChangeException(operation + ": another process is doing it right now (" + holder.encode() + ")");
                }
                v = store.compareAndSet(key, there.get().version(), value);
            }
            if (v.isPresent()) {
                j.undo("store delete " + key, () -> store.delete(key, v.getAsLong()));
                return v.getAsLong();
            }
        }
        throw new ConcurrentChangeException(operation + ": its note " + key + " kept changing; retry");
    }

    /**
     * Throws unless network {@code n} is still defined, as this very network, and no live process is
     * removing it. For a connect, after it stored its address lease: a removal stores its note
     * before it reads the leases, so a removal that missed the lease has its note here, or has
     * finished, and then the record is gone (it is deleted before the note: read in this order).
     */
    void requireNotRemoved(NetworkConfig n) {
        Optional<Versioned> removal = store.get(removalNoteKey(n));
        if (removal.isPresent()) {
            Owner remover = noteOwner(removalNoteKey(n), removal.get());
            if (remover != null && Liveness.alive(remover, this)) {
                throw new NetworkNotFoundException("network " + n.name() + " is being removed by another process");
            }
        }
        if (network(n.name()).filter(now -> now.id().equals(n.id())).isEmpty()) {
            throw new NetworkNotFoundException("network " + n.name() + " was removed by another process meanwhile");
        }
    }

    /** The notes of operations whose owners are alive, read now (unreadable ones are reconcile's to report). */
    List<Pending> liveNotes() {
        List<Pending> out = new ArrayList<>();
        for (Map.Entry<String, Versioned> note : store.list(PENDING).entrySet()) {
            try {
                Pending p = Pending.decode(note.getKey(), note.getValue().value());
                if (Liveness.alive(p.owner(), this)) {
                    out.add(p);
                }
            } catch (RuntimeException unreadable) {
                // reported by Reconciler#pending
            }
        }
        return out;
    }

    /** The owner a note names; null if it cannot be read (reconcile reports and deletes such notes). */
    private static Owner noteOwner(String key, Versioned note) {
        try {
            return Pending.decode(key, note.value()).owner();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Replaces the value of an existing key. Undo: the old value, if the key is still at the version written. */
    void replace(Journal j, String key, String value) {
        replace(j, key, existing(key), value);
    }

    /**
     * Replaces the record {@code seen} (read earlier, e.g. by a check) with {@code updated}, only if
     * the store still holds that very record: a change written from what was seen must not put an
     * old endpoint back over a newer one another process wrote since (a disconnect and a connect
     * again: same key, another endpoint). Undo as {@link #replace}.
     */
    void replaceEndpoint(Journal j, EndpointConfig seen, EndpointConfig updated) {
        String key = endpointKey(seen.network(), seen.container());
        Versioned old = existing(key);
        if (!EndpointConfig.decode(key, old.value()).equals(seen)) {
            throw new ConcurrentChangeException(key + " was changed by another process since it was read; retry");
        }
        replace(j, key, old, updated.encode());
    }

    /**
     * Deletes the record {@code seen} (read earlier), only if the store still holds that very record:
     * another process may have disconnected it and connected the container again meanwhile (same
     * key, another endpoint), and that endpoint's record is not this removal's to delete. Returns
     * false if the record is gone already: another removal of the same endpoint deleted it, and the
     * rest of that removal is its own. Undo: the deleted value, if nobody created the key meanwhile.
     */
    boolean deleteEndpoint(Journal j, EndpointConfig seen) {
        String key = endpointKey(seen.network(), seen.container());
        return deleteIf(j, key, value -> EndpointConfig.decode(key, value).equals(seen),
                key + " is another endpoint now (connected again by another process); left to it");
    }

    /**
     * Deletes the container's index entry for the network of {@code e} if it still names the
     * interface of {@code e}: once the record is deleted, the container may be connected to that
     * network again by another process, and that endpoint's entry (another interface: the old one
     * still exists until its removal ends) is not this removal's. Undo as {@link #delete}.
     */
    void deleteIndex(Journal j, EndpointConfig e) {
        deleteIf(j, indexKey(e.container(), e.network()), e.ifName()::equals, null);
    }

    /**
     * Deletes the record of network {@code seen}, only if it is that network (same id): once a
     * removal has deleted a record, another process may create a network of the same name, whose
     * record is not this removal's. Undo: the deleted value, if nobody created the key meanwhile.
     */
    void deleteNetwork(Journal j, NetworkConfig seen) {
        String key = networkKey(seen.name());
        deleteIf(j, key, value -> NetworkConfig.decode(key, value).id().equals(seen.id()),
                "network " + seen.name() + " is another network now (created by another process); left to it");
    }

    /**
     * Deletes the hint of network {@code name}, whose record this removal has deleted, and never
     * fails. A hint written between the read and the delete is read again and deleted too while
     * no network of that name is defined (a connect that read the network before its removal,
     * rolling back, puts its old hint back); once one is, the hint is that network's and stays.
     * Undo: the deleted value, if the key is still free.
     */
    void dropHint(Journal j, String name) {
        String key = cursorKey(name);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Versioned> old = store.get(key);
            if (old.isEmpty()) {
                return;
            }
            if (store.delete(key, old.get().version())) {
                j.undo("store create " + key, () -> store.compareAndSet(key, 0, old.get().value()));
                return;
            }
            if (network(name).isPresent()) {
                return;
            }
        }
    }

    /** The record at {@code key}, which a replace needs to be there. */
    private Versioned existing(String key) {
        return store.get(key).orElseThrow(() -> new ConcurrentChangeException(key + " was removed by another process meanwhile; retry"));
    }

    private void replace(Journal j, String key, Versioned old, String value) {
        OptionalLong v = store.compareAndSet(key, old.version(), value);
        if (v.isEmpty()) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("store replace " + key, () -> store.compareAndSet(key, v.getAsLong(), old.value()));
    }

    /**
     * Writes the container's index entry for the endpoint {@code e} just created: creates it, or
     * replaces a stale one (a dead process's, or that of a disconnect of the container's previous
     * endpoint there, still finishing, which leaves an entry naming another interface alone). Undo:
     * delete the version written; the stale value is not put back: its endpoint is gone.
     */
    void putIndex(Journal j, EndpointConfig e) {
        String key = indexKey(e.container(), e.network());
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Versioned> stale = store.get(key);
            OptionalLong v = store.compareAndSet(key, stale.map(Versioned::version).orElse(0L), e.ifName());
            if (v.isPresent()) {
                j.undo("store delete " + key, () -> store.delete(key, v.getAsLong()));
                return;
            }
        }
        throw new ConcurrentChangeException(key + " kept changing; retry");
    }

    /** Deletes {@code key} if present. Undo: the deleted value, if nobody created the key meanwhile. */
    void delete(Journal j, String key) {
        deleteIf(j, key, value -> true, null);
    }

    /**
     * Deletes {@code key} if present and its value passes {@code isTheOneRead} (else throws with
     * {@code otherwise}, or leaves it if that is null); absent is done already (another removal at
     * the same moment, or reconcile). Returns true if this call deleted it. Undo: the deleted value,
     * if nobody created the key meanwhile.
     */
    private boolean deleteIf(Journal j, String key, java.util.function.Predicate<String> isTheOneRead, String otherwise) {
        Optional<Versioned> old = store.get(key);
        if (old.isEmpty()) {
            return false;
        }
        if (!isTheOneRead.test(old.get().value())) {
            if (otherwise == null) {
                return false; // another's now: left to it
            }
            throw new ConcurrentChangeException(otherwise);
        }
        if (!store.delete(key, old.get().version())) {
            throw new ConcurrentChangeException(key + " was changed by another process meanwhile; retry");
        }
        j.undo("store create " + key, () -> store.compareAndSet(key, 0, old.get().value()));
        return true;
    }

    /** True if {@code key} still holds the version {@code read} (reconcile's second look). */
    boolean holds(String key, Versioned read) {
        return store.get(key).filter(v -> v.version() == read.version()).isPresent();
    }

    /** Deletes without journal (reconcile repairs), only the version seen. */
    boolean forceDelete(String key, long version) {
        return store.delete(key, version);
    }

    /** Deletes without journal whatever version is there (reconcile repairs). */
    void forceDelete(String key) {
        store.get(key).ifPresent(v -> store.delete(key, v.version()));
    }
}
