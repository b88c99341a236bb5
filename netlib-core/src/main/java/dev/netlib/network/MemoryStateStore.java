package dev.netlib.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link StateStore} in memory: state lives as long as the object. Thread-safe. */
public final class MemoryStateStore implements StateStore {
    private final TreeMap<String, Entry> entries = new TreeMap<>();

    @Override
    public synchronized Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public synchronized List<Entry> list(String prefix) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    @Override
    public synchronized long compareAndPut(String key, String value, long expectedVersion) {
        Entry current = entries.get(key);
        long version = current == null ? 0 : current.version();
        if (version != expectedVersion) {
            return -1;
        }
        entries.put(key, new Entry(key, value, version + 1));
        return version + 1;
    }

    @Override
    public synchronized boolean compareAndDelete(String key, long expectedVersion) {
        Entry current = entries.get(key);
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        entries.remove(key);
        return true;
    }

    /** Keys and values (not versions), for tests that compare states. */
    public synchronized Map<String, String> contents() {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }
}
