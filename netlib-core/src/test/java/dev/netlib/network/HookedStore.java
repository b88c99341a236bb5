package dev.netlib.network;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.Versioned;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * A store that runs an action just before a chosen write, or just after a chosen read (once each):
 * to interpose another writer at an exact point of an operation, or to fail it there. Public for
 * the etcd module's tests.
 */
public final class HookedStore implements IpamStore {
    private final IpamStore inner;
    private final Once beforeWrite = new Once();
    private final Once afterRead = new Once();

    public HookedStore(IpamStore inner) {
        this.inner = inner;
    }

    /** Before the next write (set or delete) of a key matching {@code key}, runs {@code action} (which may throw). */
    public HookedStore beforeWrite(Predicate<String> key, Runnable action) {
        beforeWrite.arm(key, action);
        return this;
    }

    /**
     * After the next read ({@code get} of a key, or {@code list}/{@code keys} of a prefix) matching
     * {@code keyOrPrefix}, once its answer is taken, runs {@code action}: the reader goes on with
     * what it read while the action changed the store behind it.
     */
    public HookedStore afterRead(Predicate<String> keyOrPrefix, Runnable action) {
        afterRead.arm(keyOrPrefix, action);
        return this;
    }

    /** An action that runs once, at the first key that matches; it may arm itself (or the other) again. */
    private static final class Once {
        private Predicate<String> when;
        private Runnable action;

        synchronized void arm(Predicate<String> key, Runnable a) {
            this.when = key;
            this.action = a;
        }

        void fire(String key) {
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
    }

    @Override
    public Optional<Versioned> get(String key) {
        Optional<Versioned> v = inner.get(key);
        afterRead.fire(key);
        return v;
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        beforeWrite.fire(key);
        return inner.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        beforeWrite.fire(key);
        return inner.delete(key, expectedVersion);
    }

    @Override
    public SortedMap<String, Versioned> list(String prefix) {
        SortedMap<String, Versioned> m = inner.list(prefix);
        afterRead.fire(prefix);
        return m;
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
