package dev.netlib.error;

/**
 * A message from the kernel (or a buffer handed to a decoder) could not be parsed: truncated, a
 * length that points past the end, or an attribute of the wrong size. Names the attribute path.
 */
public class MalformedMessageException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** A netlink message could not be parsed; {@code message} says where. */
    public MalformedMessageException(String message) {
        super(message);
    }
}
