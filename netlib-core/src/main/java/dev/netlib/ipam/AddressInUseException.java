package dev.netlib.ipam;

/** A requested address or subnet is already allocated (the message names its owner) or reserved. */
public class AddressInUseException extends IpamException {
    private static final long serialVersionUID = 1L;

    /** The requested address is already allocated; {@code message} says to whom. */
    public AddressInUseException(String message) {
        super(message);
    }
}
