package dev.netlib.ipam;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An {@link IpamStore} in the memory of this JVM: for tests and for programs whose networks live
 * and die with the process. Versions come from one counter for the whole store, like etcd's
 * revisions, so a deleted and re-created key never gets a version it had before.
 */
public final class MemoryIpamStore implements IpamStore {
    private final TreeMap<String, Versioned> entries = new TreeMap<>();
    private long revision;

    @Override
    public synchronized Optional<Versioned> get(String key) {
        return Optional.ofNullable(entries.get(IpamStore.checkKey(key)));
    }

    @Override
    public synchronized OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        IpamStore.checkKey(key);
        Versioned current = entries.get(key);
        long currentVersion = current == null ? 0 : current.version();
        if (currentVersion != expectedVersion) {
            return OptionalLong.empty();
        }
        long next = ++revision;
        entries.put(key, new Versioned(value, next));
        return OptionalLong.of(next);
    }

    @Override
    public synchronized boolean delete(String key, long expectedVersion) {
        Versioned current = entries.get(IpamStore.checkKey(key));
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        entries.remove(key);
        revision++;
        return true;
    }

    @Override
    public synchronized SortedMap<String, Versioned> list(String prefix) {
        String p = IpamStore.checkPrefix(prefix);
        SortedMap<String, Versioned> out = new TreeMap<>();
        for (var e : entries.tailMap(p, true).entrySet()) {
            if (!e.getKey().startsWith(p)) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Override
    public String describe() {
        return "memory store";
    }

    @Override
    public void close() {}
}
