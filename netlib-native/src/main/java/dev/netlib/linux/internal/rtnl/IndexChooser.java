package dev.netlib.linux.internal.rtnl;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the ifindexes netlib asks for when it creates a link that has follow-up requests (see
 * {@link CreateIndexes}). One sequence per process, shared by all namespaces, so two creations of
 * this process never ask for the same index.
 *
 * <p>Why so high: the kernel gives an index nobody asked for with a cyclic allocator that starts at
 * 1 in every namespace and moves up by one per new link (dev_index_reserve(): xa_alloc_cyclic from
 * net-&gt;ifindex). Asking for an index in the upper half of the 31-bit range keeps ours out of
 * the kernel's way for ~10^9 creations per namespace, so another creator's link (ip, Docker, a
 * container runtime) practically never takes an index we are about to ask for. The start is
 * random within a 2^28-wide window, so two netlib processes creating in one namespace overlap with
 * probability about (links each creates) / 2^27. That overlap is the residual race: when another
 * creator holds our chosen index, our create fails with EBUSY and the follow-ups pipelined behind it
 * (which cannot wait for its ack) apply to THAT link. Waiting for the create's ack before sending
 * the follow-ups would close it at the cost of a round trip per creation; the probability above is
 * why netlib pipelines.
 */
final class IndexChooser {
    static final int BASE = 1 << 30;
    static final int WINDOW = 1 << 28;
    private static final AtomicInteger NEXT = new AtomicInteger(BASE + ThreadLocalRandom.current().nextInt(WINDOW));

    private IndexChooser() {}

    /** The next index to ask for; wraps back into the upper half of the range before the 31-bit limit. */
    static int next() {
        return NEXT.getAndUpdate(i -> i == Integer.MAX_VALUE ? BASE : i + 1);
    }
}
