package dev.netlib.examples.bench.cluster;

/**
 * One host's store traffic so far, as {@link CountingClusterStore} counts it.
 *
 * @param requests requests sent (keep-alives not included)
 * @param bytesOut payload bytes sent: keys, values, compared keys
 * @param bytesIn payload bytes received: keys and values read or watched
 * @param watchEvents watch events delivered
 * @param keepAlives lease keep-alives sent
 */
record StoreCounters(long requests, long bytesOut, long bytesIn, long watchEvents, long keepAlives) {
    static final StoreCounters ZERO = new StoreCounters(0, 0, 0, 0, 0);

    /** This minus {@code earlier}. */
    StoreCounters minus(StoreCounters earlier) {
        return new StoreCounters(requests - earlier.requests, bytesOut - earlier.bytesOut, bytesIn - earlier.bytesIn,
                watchEvents - earlier.watchEvents, keepAlives - earlier.keepAlives);
    }

    /** This plus {@code other}. */
    StoreCounters plus(StoreCounters other) {
        return new StoreCounters(requests + other.requests, bytesOut + other.bytesOut, bytesIn + other.bytesIn,
                watchEvents + other.watchEvents, keepAlives + other.keepAlives);
    }

    /** The text form used between the bench and a host's child JVM. */
    String encode() {
        return requests + "," + bytesOut + "," + bytesIn + "," + watchEvents + "," + keepAlives;
    }

    static StoreCounters decode(String s) {
        String[] f = s.split(",");
        return new StoreCounters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
    }
}
