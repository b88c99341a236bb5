package dev.netlib.ipam;

/**
 * Release of an address (or subnet) that is not allocated. Thrown rather than ignored: a double
 * release usually means two owners believed they held the same address.
 */
public class AddressNotAllocatedException extends IpamException {
    private static final long serialVersionUID = 1L;

    /** The address to release is not allocated. */
    public AddressNotAllocatedException(String message) {
        super(message);
    }
}
