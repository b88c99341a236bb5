package dev.netlib.ipam;

/** No free address is left in an {@link IpPool}, or no free subnet in a {@link SubnetPool}. */
public class PoolExhaustedException extends IpamException {
    private static final long serialVersionUID = 1L;

    /** No free address (or subnet) is left in the pool. */
    public PoolExhaustedException(String message) {
        super(message);
    }
}
