package dev.netlib.examples.bench.cluster;

import dev.netlib.Netlib;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Waits, by polling the kernels of several hosts, until a condition holds on each of them, and notes
 * for each host when it first did. Each host is read only while its condition does not hold yet; the
 * time noted is the end of the read that saw it (an upper bound: the entry arrived at most one round of
 * reads earlier).
 */
final class Converge {

    /** What a host's kernel must show; the FDB is read only when the neighbour part already holds. */
    interface Condition {
        /** Whether the neighbour table (IP to MAC) is as wanted. */
        boolean neighbours(Map<String, String> neighbours);

        /** Whether the FDB (MAC to VTEP) is as wanted. */
        boolean fdb(Map<String, String> fdb);
    }

    private Converge() {}

    /** An endpoint is on a host: neighbour IP to MAC (permanent) and FDB MAC to VTEP. */
    static Condition present(String ip, String mac, String vtep) {
        return new Condition() {
            public boolean neighbours(Map<String, String> n) {
                return mac.equals(n.get(ip));
            }

            public boolean fdb(Map<String, String> f) {
                return vtep.equals(f.get(mac));
            }
        };
    }

    /** None of {@code ips} / {@code macs} is on a host any more. */
    static Condition absent(List<String> ips, List<String> macs) {
        return new Condition() {
            public boolean neighbours(Map<String, String> n) {
                return ips.stream().noneMatch(n::containsKey);
            }

            public boolean fdb(Map<String, String> f) {
                return macs.stream().noneMatch(f::containsKey);
            }
        };
    }

    /** A host's table sizes reached a count (the whole mesh built). */
    static Condition counts(int neighbours, int fdb) {
        return new Condition() {
            public boolean neighbours(Map<String, String> n) {
                return n.size() >= neighbours;
            }

            public boolean fdb(Map<String, String> f) {
                return f.size() >= fdb;
            }
        };
    }

    /**
     * Polls until {@code cond} holds on every host of {@code hosts} (index to netlib of its namespace),
     * or {@code timeoutMs} passed since {@code startNanos}.
     *
     * @return per host, nanoseconds from {@code startNanos} until it held, or -1 if it never did
     */
    static Map<Integer, Long> await(Map<Integer, Netlib> hosts, String vxlan, Predicate<Integer> skip, Condition cond, long startNanos,
            long timeoutMs) {
        Map<Integer, Long> done = new LinkedHashMap<>();
        List<Integer> waiting = new ArrayList<>();
        hosts.keySet().stream().filter(h -> !skip.test(h)).forEach(waiting::add);
        long deadline = startNanos + timeoutMs * 1_000_000;
        while (!waiting.isEmpty()) {
            for (int i = waiting.size() - 1; i >= 0; i--) {
                int h = waiting.get(i);
                Netlib host = hosts.get(h);
                if (cond.neighbours(KernelTables.neighbours(host)) && cond.fdb(KernelTables.fdb(host, vxlan, new ArrayList<>()))) {
                    done.put(h, System.nanoTime() - startNanos);
                    waiting.remove(i);
                }
            }
            if (System.nanoTime() > deadline) {
                waiting.forEach(h -> done.put(h, -1L));
                break;
            }
            pause();
        }
        return done;
    }

    private static void pause() {
        try {
            Thread.sleep(1); // leave the two cores to the agents between rounds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for convergence", e);
        }
    }

    /** The latest of the per-host times (-1 if any host never got there): "every other host has it". */
    static long all(Map<Integer, Long> perHost) {
        long max = 0;
        for (long v : perHost.values()) {
            if (v < 0) {
                return -1;
            }
            max = Math.max(max, v);
        }
        return max;
    }
}
