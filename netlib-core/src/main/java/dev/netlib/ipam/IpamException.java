package dev.netlib.ipam;

import dev.netlib.error.NetlibException;

/** Root of the IP address management errors that are about state, not about bad input. */
public class IpamException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** An IPAM error. */
    public IpamException(String message) {
        super(message);
    }

    /** An IPAM error with a cause. */
    public IpamException(String message, Throwable cause) {
        super(message, cause);
    }
}
