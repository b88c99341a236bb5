package dev.netlib.error;

/**
 * Bad input: the message says what was wrong and what is allowed. Always thrown before any request
 * reaches the kernel, so nothing has changed when it is seen.
 */
public class InvalidConfigException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** A value the caller gave is invalid; {@code message} names it and says what is allowed. */
    public InvalidConfigException(String message) {
        super(message);
    }

    /** A value the caller gave is invalid, found out through {@code cause}. */
    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
