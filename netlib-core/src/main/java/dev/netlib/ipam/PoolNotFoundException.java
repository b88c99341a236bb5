package dev.netlib.ipam;

/** No pool of that name exists in the store. */
public class PoolNotFoundException extends IpamException {
    private static final long serialVersionUID = 1L;

    /** No pool of that name exists. */
    public PoolNotFoundException(String message) {
        super(message);
    }
}
