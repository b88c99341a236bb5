package dev.netlib.cluster;

import dev.netlib.error.NetlibException;

/** The cluster store could not be reached or refused a call; the message names the store and the operation. */
public class ClusterStoreException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public ClusterStoreException(String message) {
        super(message);
    }

    /** With a message and the store client's own exception. */
    public ClusterStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
