package dev.netlib.cluster;

/** A running watch; {@link #close()} stops it (no more listener calls after it returns). */
public interface Watch extends AutoCloseable {
    /** Stops the watch. */
    @Override
    void close();
}
