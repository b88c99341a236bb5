package dev.netlib.ipam;

/** A compare-and-swap update kept losing to concurrent writers until its retry budget ran out. */
public class StoreConflictException extends IpamStoreException {
    private static final long serialVersionUID = 1L;

    /** A compare-and-set kept losing to other writers; {@code message} names the key. */
    public StoreConflictException(String message) {
        super(message);
    }
}
