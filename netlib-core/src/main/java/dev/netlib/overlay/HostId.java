package dev.netlib.overlay;

import dev.netlib.error.InvalidConfigException;

/**
 * A host's stable name in the cluster store (e.g. its machine id or hostname): 1..63 characters of
 * {@code [A-Za-z0-9_.-]}, not {@code .} or {@code ..}. It must stay the same across restarts, so that a restarted host finds and
 * collects what its earlier run left.
 *
 * @param value the name
 */
public record HostId(String value) {
    /** Checks the name. */
    public HostId {
        // "." and ".." would name directories other than the host's own (the agent's record directory)
        if (value == null || !value.matches("[A-Za-z0-9_.-]{1,63}") || value.equals(".") || value.equals("..")) {
            throw new InvalidConfigException("host id must be 1..63 characters of A-Z a-z 0-9 _ . -, and not '.' or '..', got '" + value + "'");
        }
    }

    /** The host id {@code value}. */
    public static HostId of(String value) {
        return new HostId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
