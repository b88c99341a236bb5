package dev.netlib.cluster;

/** The lease expired or was revoked: its keys are gone, and a new lease is needed. */
public class LeaseNotFoundException extends ClusterStoreException {
    private static final long serialVersionUID = 1L;

    /** For lease {@code id} of {@code store}. */
    public LeaseNotFoundException(long id, String store) {
        super("lease " + Long.toHexString(id) + " not found in " + store + " (expired or revoked)");
    }
}
