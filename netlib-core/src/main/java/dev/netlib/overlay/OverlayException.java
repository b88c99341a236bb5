package dev.netlib.overlay;

import dev.netlib.error.NetlibException;

/** An overlay operation failed; the message says what to fix. */
public class OverlayException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public OverlayException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public OverlayException(String message, Throwable cause) {
        super(message, cause);
    }
}
