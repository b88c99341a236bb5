package dev.netlib.ipam;

/** A pool of that name already exists in the store. */
public class PoolExistsException extends IpamException {
    private static final long serialVersionUID = 1L;

    /** A pool of that name exists already. */
    public PoolExistsException(String message) {
        super(message);
    }
}
