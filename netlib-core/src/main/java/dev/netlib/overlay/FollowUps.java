package dev.netlib.overlay;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reconciles of a network that an advert schedules for later: the network layer rewrites the
 * container's hosts file right after the advert (without the overlay's section), so the section is
 * written again once that is done, 200 ms and 1 s after the advert. Each runs once: on time, or
 * earlier through {@link #runNow}, after which its timer finds it gone and does nothing.
 */
final class FollowUps {
    /** When the follow-ups of an advert run, in milliseconds after it. */
    static final long[] DELAYS_MS = {200, 1000};

    /** Runs a task once after a delay: the agent's scheduler, or a test's timer it moves by hand. */
    @FunctionalInterface
    interface Timer {
        void after(long delayMs, Runnable task);

        /** The timer of a scheduler (the agent's: one thread, so follow-ups run one at a time). */
        static Timer of(ScheduledExecutorService scheduler) {
            return (delayMs, task) -> scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private final Timer timer;
    private final Consumer<Set<String>> mark;
    /** The follow-ups scheduled and not run yet (by identity: one advert schedules several for one network). */
    private final Set<FollowUp> pending = ConcurrentHashMap.newKeySet();

    FollowUps(Timer timer, Consumer<Set<String>> mark) {
        this.timer = timer;
        this.mark = mark;
    }

    /** Schedules the follow-up reconciles of an advert on the network. */
    void schedule(String networkId) {
        for (long delay : DELAYS_MS) {
            FollowUp u = new FollowUp(networkId);
            pending.add(u);
            timer.after(delay, u);
        }
    }

    /** Runs every follow-up scheduled and not run yet, now. */
    void runNow() {
        List.copyOf(pending).forEach(FollowUp::run);
    }

    private final class FollowUp implements Runnable {
        private final String network;

        FollowUp(String network) {
            this.network = network;
        }

        @Override
        public void run() {
            if (pending.remove(this)) {
                mark.accept(Set.of(network));
            }
        }
    }
}
