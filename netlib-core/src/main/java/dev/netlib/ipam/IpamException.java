package dev.netlib.ipam;

import dev.netlib.error.NetlibException;

/** Root of the IP address management errors that are about state, not about bad input. */
public class IpamException extends NetlibException {
    private static final long serialVersionUID = 1L;

    public IpamException(String message) {
        super(message);
    }

    public IpamException(String message, Throwable cause) {
        super(message, cause);
    }
}
