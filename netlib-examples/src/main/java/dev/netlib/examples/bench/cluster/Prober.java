package dev.netlib.examples.bench.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Traffic while the cluster changes: threads that keep connecting over TCP between random pairs of
 * the given containers (one probe after another per thread), noting each failure with its time and
 * hosts, so a run can count the probes lost during each fault.
 */
final class Prober implements AutoCloseable {

    /**
     * A probe that failed.
     *
     * @param atNanos when it started
     * @param from source host
     * @param to target host
     */
    record Failure(long atNanos, int from, int to) {}

    private final List<MeshProbe.Member> members;
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile Predicate<MeshProbe.Member> excluded = m -> false;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stop;

    /** Probes among {@code members} (a live list: containers may come and go) on {@code threadCount} threads. */
    Prober(List<MeshProbe.Member> members, int threadCount, int timeoutMs) {
        this.members = members;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> run(timeoutMs), "nlc-prober-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Containers that are no longer probed, from now on (e.g. those of a killed host). */
    void exclude(Predicate<MeshProbe.Member> p) {
        excluded = p;
    }

    private void run(int timeoutMs) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (!stop) {
            List<MeshProbe.Member> live = members.stream().filter(m -> !excluded.test(m)).toList();
            if (live.size() < 2) {
                sleep();
                continue;
            }
            MeshProbe.Member a = live.get(r.nextInt(live.size()));
            MeshProbe.Member b = live.get(r.nextInt(live.size()));
            if (a.id() == b.id()) {
                continue;
            }
            long t = System.nanoTime();
            sent.incrementAndGet();
            if (!MeshProbe.probe(a, b, timeoutMs) && !stop && !excluded.test(a) && !excluded.test(b)) {
                failures.add(new Failure(t, a.host(), b.host()));
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Probes sent so far. */
    long sent() {
        return sent.get();
    }

    /** Failures that started within [from, to) nanos. */
    List<Failure> failures(long from, long to) {
        return failures.stream().filter(f -> f.atNanos() >= from && f.atNanos() < to).toList();
    }

    /** Every failure so far. */
    List<Failure> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
