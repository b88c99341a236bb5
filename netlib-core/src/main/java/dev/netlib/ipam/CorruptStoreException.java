package dev.netlib.ipam;

/**
 * A stored record cannot be parsed. Never answered by resetting the record: the message names the
 * file or key and what is wrong, and the record is left untouched for inspection.
 */
public class CorruptStoreException extends IpamStoreException {
    private static final long serialVersionUID = 1L;

    /** A stored record cannot be read; {@code message} names its key. */
    public CorruptStoreException(String message) {
        super(message);
    }

    /** A stored record cannot be read, because of {@code cause}. */
    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
