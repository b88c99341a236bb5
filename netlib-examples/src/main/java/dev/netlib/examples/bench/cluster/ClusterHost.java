package dev.netlib.examples.bench.cluster;

import java.net.InetAddress;

/**
 * One simulated host as the bench drives it: an independent {@code Networks} with its own store
 * client and lease, either in the bench's JVM ({@link InProcessHost}) or in a JVM of its own
 * ({@link ChildHost}, for real crashes).
 */
interface ClusterHost extends AutoCloseable {

    /**
     * An endpoint as its host's {@code connect()} returned it.
     *
     * @param host the host's index (1-based)
     * @param container the container namespace's name
     * @param ip the address
     * @param mac the MAC
     * @param returnedNanos {@link System#nanoTime()} when connect() returned (comparable across the
     *     machine's JVMs: both read CLOCK_MONOTONIC)
     */
    record Joined(int host, String container, InetAddress ip, String mac, long returnedNanos) {}

    /** The host's index (1-based). */
    int index();

    /** Creates the overlay network (on one host; the others see it through the store). */
    void createNetwork(String network, String subnet);

    /** Connects container namespace {@code container} to {@code network}; the namespace's name is the container's name. */
    Joined connect(String network, String container);

    /** Disconnects; returns {@link System#nanoTime()} when disconnect() returned. */
    long disconnect(String network, String container);

    /** The host's store traffic so far. */
    StoreCounters counters();

    /** Threads of this host (its JVM's for a child, the agent's own for an in-JVM host). */
    long threads();

    /** Resident memory of the host's JVM in bytes, or -1 for an in-JVM host (the bench reports the JVM's share instead). */
    long rssBytes();

    /** The host dies: its lease is no longer renewed (kill -9 of its JVM, or its store cut off in-JVM). */
    void crash();

    /** Whether {@link #crash()} was called. */
    boolean crashed();

    /** Leaves gracefully: the agent revokes its lease, the others withdraw its endpoints at once. */
    @Override
    void close();
}
