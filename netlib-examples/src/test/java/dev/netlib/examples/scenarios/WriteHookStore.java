package dev.netlib.examples.scenarios;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.Versioned;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Consumer;

/** A store that calls a hook with the key before every set (to halt or fail a child JVM at a chosen write). */
final class WriteHookStore implements IpamStore {
    private final IpamStore inner;
    private final Consumer<String> beforeSet;

    WriteHookStore(IpamStore inner, Consumer<String> beforeSet) {
        this.inner = inner;
        this.beforeSet = beforeSet;
    }

    @Override
    public Optional<Versioned> get(String key) {
        return inner.get(key);
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        beforeSet.accept(key);
        return inner.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return inner.delete(key, expectedVersion);
    }

    @Override
    public SortedMap<String, Versioned> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public java.util.SortedSet<String> keys(String prefix) {
        return inner.keys(prefix);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
