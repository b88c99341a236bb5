package dev.netlib.examples.bench.cluster;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line on stderr: the current phase with its elapsed time, and a done/total count
 * rewritten in place (at most four times a second), so stdout keeps only the results.
 */
final class Progress implements AutoCloseable {
    private final PrintStream err;
    private final long start = System.nanoTime();
    private volatile String phase = "";
    private volatile long lastTick;
    private boolean open;

    Progress(PrintStream err) {
        this.err = err;
    }

    /** Starts a phase. */
    synchronized void phase(String what) {
        phase = what;
        err.printf(Locale.ROOT, "%s[%6.1f s] %s", open ? "\n" : "", elapsed(), what);
        err.flush();
        open = true;
    }

    /** Notes progress within the phase. */
    void tick(long done, long total) {
        long now = System.nanoTime();
        if (done < total && now - lastTick < 250_000_000L) {
            return;
        }
        lastTick = now;
        synchronized (this) {
            err.printf(Locale.ROOT, "\r[%6.1f s] %s: %d/%d", elapsed(), phase, done, total);
            err.flush();
            open = true;
        }
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Ends the progress line, so a result line can follow on a line of its own. */
    synchronized void clear() {
        if (open) {
            err.println();
            err.flush();
            open = false;
        }
    }

    @Override
    public synchronized void close() {
        if (open) {
            err.println();
            open = false;
        }
    }
}
