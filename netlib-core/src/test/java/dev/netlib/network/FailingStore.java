package dev.netlib.network;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.ipam.Versioned;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/** A memory IPAM store whose n-th write (set or delete) throws: a store outage, or (with an Error) a process dying there. */
final class FailingStore implements IpamStore {
    final MemoryIpamStore inner = new MemoryIpamStore();
    private int writes;
    private int failAt = -1;
    private Supplier<? extends Throwable> failure;

    /** The n-th write from now on (1 = the next) throws what {@code failure} makes. */
    synchronized void failNthWrite(int n, Supplier<? extends Throwable> failure) {
        this.failAt = writes + n;
        this.failure = failure;
    }

    synchronized int writes() {
        return writes;
    }

    /** Keys and values (not versions). */
    Map<String, String> contents() {
        Map<String, String> out = new TreeMap<>();
        inner.list("").forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    private synchronized void count() {
        writes++;
        if (writes == failAt) {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t;
        }
    }

    @Override
    public Optional<Versioned> get(String key) {
        return inner.get(key);
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        count();
        return inner.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        count();
        return inner.delete(key, expectedVersion);
    }

    @Override
    public SortedMap<String, Versioned> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public String describe() {
        return "failing memory store";
    }

    @Override
    public void close() {}
}
