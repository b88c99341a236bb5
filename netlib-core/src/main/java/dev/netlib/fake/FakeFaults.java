package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.spi.change.KernelChange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Pending injected failures: "the Nth request from now" countdowns and "the next change of a kind". */
final class FakeFaults {
    private static final class Countdown {
        int remaining;
        final Errno errno;

        Countdown(int remaining, Errno errno) {
            this.remaining = remaining;
            this.errno = errno;
        }
    }

    private record KindFault(Class<? extends KernelChange> kind, Errno errno) {}

    private final List<Countdown> countdowns = new ArrayList<>();
    private final List<KindFault> kindFaults = new ArrayList<>();

    void failNth(int n, Errno errno) {
        countdowns.add(new Countdown(n, errno));
    }

    void failNext(Class<? extends KernelChange> kind, Errno errno) {
        kindFaults.add(new KindFault(kind, errno));
    }

    void clear() {
        countdowns.clear();
        kindFaults.clear();
    }

    boolean isEmpty() {
        return countdowns.isEmpty() && kindFaults.isEmpty();
    }

    /**
     * Called once per request; returns the errno to fail it with, or null. Every countdown ticks;
     * when several faults fire on one request the first registered wins and the others are
     * consumed too.
     */
    Errno onRequest(KernelChange change) {
        Errno fired = null;
        for (Iterator<Countdown> it = countdowns.iterator(); it.hasNext(); ) {
            Countdown c = it.next();
            if (--c.remaining <= 0) {
                it.remove();
                if (fired == null) {
                    fired = c.errno;
                }
            }
        }
        if (change != null) {
            for (Iterator<KindFault> it = kindFaults.iterator(); it.hasNext(); ) {
                KindFault k = it.next();
                if (k.kind.isInstance(change)) {
                    it.remove();
                    if (fired == null) {
                        fired = k.errno;
                    }
                    break;
                }
            }
        }
        return fired;
    }
}
