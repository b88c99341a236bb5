package dev.netlib.ipam;

/**
 * The store could not be read or written: a disk error, or a remote store (etcd) that does not
 * answer. Nothing is known to have changed when this is thrown by a read; after a failed write the
 * write may or may not have been applied (a remote store can commit and lose the reply), which is why
 * callers re-read and compare versions instead of assuming either.
 */
public class IpamStoreException extends IpamException {
    private static final long serialVersionUID = 1L;

    /** The store failed (unreachable, I/O error, timeout). */
    public IpamStoreException(String message) {
        super(message);
    }

    /** The store failed because of {@code cause}. */
    public IpamStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
