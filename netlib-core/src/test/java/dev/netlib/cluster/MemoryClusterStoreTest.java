package dev.netlib.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The cluster store contract on the in-memory store, with a clock the test moves. */
class MemoryClusterStoreTest extends ClusterStoreContract {
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @Override
    protected ClusterStore newStore() {
        return MemoryClusterStore.withClock(clock::get);
    }

    @Override
    protected void passTime(Duration ttl) {
        clock.addAndGet(ttl.toMillis());
    }
}
