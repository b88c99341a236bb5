package dev.netlib.error;

/** Root of every exception netlib throws. Unchecked: callers decide which failures they handle. */
public class NetlibException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error of netlib. */
    public NetlibException(String message) {
        super(message);
    }

    /** An error of netlib with a cause. */
    public NetlibException(String message, Throwable cause) {
        super(message, cause);
    }
}
