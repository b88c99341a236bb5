package dev.netlib.network;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** A memory store whose n-th write (put or delete) throws: a store outage, or (with an Error) a process dying there. */
final class FailingStore implements StateStore {
    final MemoryStateStore inner = new MemoryStateStore();
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

    Map<String, String> contents() {
        return inner.contents();
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
    public Optional<Entry> get(String key) {
        return inner.get(key);
    }

    @Override
    public List<Entry> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public long compareAndPut(String key, String value, long expectedVersion) {
        count();
        return inner.compareAndPut(key, value, expectedVersion);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        count();
        return inner.compareAndDelete(key, expectedVersion);
    }
}
