package dev.netlib.error;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * netlib gave up waiting for one of its host-wide locks (an fcntl lock on a file, shared by every
 * netlib process of the host): another thread or process held it for longer than the lock user's
 * timeout, typically because that process is stopped (SIGSTOP, Ctrl-Z, a debugger) or stuck. The
 * message names the file, the holder as far as {@code /proc/locks} tells it, how long this waited
 * and which setting changes the timeout. Nothing was changed under the lock: the operation can be
 * retried once the holder goes on or dies.
 */
public class LockTimeoutException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** The lock file, as its path was given to the lock. */
    private final String file;
    /** The holder's pid; 0 or less when unknown. */
    private final long holderPid;
    /** How long the thread waited. */
    private final Duration waited;

    /**
     * The wait for the lock on {@code file} ended after {@code waited}.
     *
     * @param message the full explanation (file, holder, time waited, how to change the timeout)
     * @param file the lock file
     * @param holderPid the pid of the process holding the lock, or 0 or less when unknown
     * @param waited how long this thread waited
     */
    public LockTimeoutException(String message, String file, long holderPid, Duration waited) {
        super(message);
        this.file = Objects.requireNonNull(file, "file");
        this.holderPid = holderPid;
        this.waited = Objects.requireNonNull(waited, "waited");
    }

    /**
     * The lock file waited for.
     *
     * @return its path as it was given to the lock
     */
    public String file() {
        return file;
    }

    /**
     * The process that held the lock when this gave up: this process's own pid when another of its
     * threads held it; empty when the holder was not visible (another pid namespace, an open file
     * description lock, or released just then).
     *
     * @return the holder's pid, in this process's pid namespace
     */
    public OptionalLong holderPid() {
        return holderPid > 0 ? OptionalLong.of(holderPid) : OptionalLong.empty();
    }

    /**
     * How long the thread waited before giving up.
     *
     * @return the time waited
     */
    public Duration waited() {
        return waited;
    }
}
