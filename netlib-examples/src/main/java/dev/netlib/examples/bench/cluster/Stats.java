package dev.netlib.examples.bench.cluster;

import java.util.List;
import java.util.Locale;

/**
 * Percentiles of a set of durations (nearest rank), in milliseconds.
 *
 * @param count how many
 * @param p50 median
 * @param p99 99th percentile
 * @param max the largest
 * @param timedOut how many never happened within the wait (not in the percentiles)
 */
record Stats(int count, double p50, double p99, double max, int timedOut) {

    /** The percentiles of {@code nanos}; negative values are timeouts. */
    static Stats ofNanos(List<Long> nanos) {
        long[] ok = nanos.stream().mapToLong(Long::longValue).filter(n -> n >= 0).sorted().toArray();
        int timedOut = nanos.size() - ok.length;
        if (ok.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, timedOut);
        }
        return new Stats(ok.length, ms(rank(ok, 0.50)), ms(rank(ok, 0.99)), ms(ok[ok.length - 1]), timedOut);
    }

    private static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p50 %.1f ms  p99 %.1f ms  max %.1f ms  (n=%d%s)", p50, p99, max, count,
                timedOut > 0 ? ", " + timedOut + " TIMED OUT" : "");
    }

    /** JSON object text. */
    String json() {
        return String.format(Locale.ROOT, "{\"n\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"timed_out\":%d}", count,
                nan(p50), nan(p99), nan(max), timedOut);
    }

    private static double nan(double d) {
        return Double.isNaN(d) ? -1 : d;
    }
}
