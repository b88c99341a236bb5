package dev.netlib.network;

import java.util.concurrent.CountDownLatch;

/**
 * A point where an operation in another thread stops until the test lets it go: {@link #hold} is
 * the {@link HookedStore} action at that point, {@link #awaitReached} and {@link #release} the
 * test's side.
 */
final class Pause {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** The hook: marks the point reached, then holds the calling thread until {@link #release}. */
    void hold() {
        reached.countDown();
        await(released);
    }

    /** Waits until an operation is held at the point. */
    void awaitReached() {
        await(reached);
    }

    /** Lets the held operation (or the next one to reach the point) go on. */
    void release() {
        released.countDown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
