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

    /** How many fixed pairs are probed. */
    static final int PAIRS = 48;

    private final List<MeshProbe.Member> members;
    private final List<MeshProbe.Member[]> pairs = new java.util.ArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile Predicate<MeshProbe.Member> excluded = m -> false;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stop;

    /**
     * Probes among {@code members} (a live list: containers may come and go) on {@code threadCount}
     * threads, over {@link #PAIRS} pairs chosen at the start (each across two hosts where possible).
     * A fixed set of pairs keeps the containers' ARP entries few and reused: the kernel's ARP table is
     * shared by every namespace of the machine (see {@code ClusterBench#meshCheck}).
     */
    Prober(List<MeshProbe.Member> members, int threadCount, int timeoutMs) {
        this.members = members;
        List<MeshProbe.Member> all = List.copyOf(members);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < PAIRS * 10 && pairs.size() < PAIRS && all.size() > 1; i++) {
            MeshProbe.Member a = all.get(r.nextInt(all.size()));
            MeshProbe.Member b = all.get(r.nextInt(all.size()));
            if (a.id() != b.id() && (a.host() != b.host() || i >= PAIRS * 5)) {
                pairs.add(new MeshProbe.Member[] {a, b});
            }
        }
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
            if (pairs.isEmpty()) {
                return;
            }
            MeshProbe.Member[] pair = pairs.get(r.nextInt(pairs.size()));
            MeshProbe.Member a = pair[0];
            MeshProbe.Member b = pair[1];
            if (excluded.test(a) || excluded.test(b) || !members.contains(a) || !members.contains(b)) {
                sleep();
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
