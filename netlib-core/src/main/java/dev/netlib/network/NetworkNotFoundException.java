package dev.netlib.network;

import dev.netlib.error.NetlibException;

/** No network (or endpoint) of that name is defined: Docker's "network NAME not found". */
public class NetworkNotFoundException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** No network of that name or id. */
    public NetworkNotFoundException(String message) {
        super(message);
    }
}
