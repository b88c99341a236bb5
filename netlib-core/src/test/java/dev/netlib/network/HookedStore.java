package dev.netlib.network;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.Versioned;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * A store that runs an action just before a chosen write (once): to interpose another writer at an
 * exact point of an operation, or to fail it there. Public for the etcd module's tests.
 */
public final class HookedStore implements IpamStore {
    private final IpamStore inner;
    private Predicate<String> when;
    private Runnable action;

    public HookedStore(IpamStore inner) {
        this.inner = inner;
    }

    /** Before the next write (set or delete) of a key matching {@code key}, runs {@code action} (which may throw). */
    public synchronized HookedStore beforeWrite(Predicate<String> key, Runnable action) {
        this.when = key;
        this.action = action;
        return this;
    }

    private void hook(String key) {
        Runnable a;
        synchronized (this) {
            if (when == null || !when.test(key)) {
                return;
            }
            a = action;
            when = null;
            action = null;
        }
        a.run();
    }

    @Override
    public Optional<Versioned> get(String key) {
        return inner.get(key);
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        hook(key);
        return inner.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        hook(key);
        return inner.delete(key, expectedVersion);
    }

    @Override
    public SortedMap<String, Versioned> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public String describe() {
        return "hooked " + inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
