package dev.netlib.network;

import dev.netlib.error.NetlibException;

/**
 * Another process changed the shared state between our read and our write (a compare-and-swap
 * failed). Nothing of the operation remains; retrying it reads the new state.
 */
public class ConcurrentChangeException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** Another writer changed the same record first; {@code message} names it. */
    public ConcurrentChangeException(String message) {
        super(message);
    }
}
