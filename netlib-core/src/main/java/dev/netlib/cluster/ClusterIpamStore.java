package dev.netlib.cluster;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.IpamStoreException;
import dev.netlib.ipam.Versioned;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A prefix of a {@link ClusterStore} seen as an {@link IpamStore}, so that {@link dev.netlib.ipam.IpPool}
 * and the network layer keep their state in the cluster store: an IPAM key {@code K} is the store key
 * {@code PREFIX + K}, and its version is the key's mod revision (never reused, as {@link Versioned}
 * requires). Keys written here are durable: an address must not be freed because its host was out of
 * touch for a lease's TTL.
 */
public final class ClusterIpamStore implements IpamStore {
    private final ClusterStore store;
    private final String prefix;

    /** The keys of {@code store} under {@code prefix} (e.g. {@code netlib/v1/ipam/}; must end with '/'). */
    public ClusterIpamStore(ClusterStore store, String prefix) {
        this.store = Objects.requireNonNull(store, "store");
        if (prefix == null || !prefix.endsWith("/")) {
            throw new dev.netlib.error.InvalidConfigException("cluster IPAM prefix must end with '/', got " + prefix);
        }
        this.prefix = prefix;
    }

    @Override
    public Optional<Versioned> get(String key) {
        return call(() -> store.get(prefix + IpamStore.checkKey(key)).map(kv -> new Versioned(kv.value(), kv.modRevision())));
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        String k = prefix + IpamStore.checkKey(key);
        Compare cmp = expectedVersion == 0 ? Compare.absent(k) : Compare.modRevision(k, expectedVersion);
        TxnResult r = call(() -> store.txn(Txn.when(cmp).then(Op.put(k, value))));
        return r.succeeded() ? OptionalLong.of(r.revision()) : OptionalLong.empty();
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        if (expectedVersion <= 0) {
            return false;
        }
        String k = prefix + IpamStore.checkKey(key);
        return call(() -> store.txn(Txn.when(Compare.modRevision(k, expectedVersion)).then(Op.delete(k)))).succeeded();
    }

    @Override
    public SortedMap<String, Versioned> list(String p) {
        String full = prefix + IpamStore.checkPrefix(p);
        SortedMap<String, Versioned> out = new TreeMap<>();
        for (KeyValue kv : call(() -> store.range(full)).kvs()) {
            out.put(kv.key().substring(prefix.length()), new Versioned(kv.value(), kv.modRevision()));
        }
        return out;
    }

    @Override
    public String describe() {
        return store.describe() + " (prefix " + prefix + ")";
    }

    /** Leaves the cluster store open: its owner closes it. */
    @Override
    public void close() {}

    /** Store failures reach IPAM callers as the IPAM's own store exception, as with the other stores. */
    private <T> T call(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (ClusterStoreException e) {
            throw new IpamStoreException(e.getMessage(), e);
        }
    }
}
