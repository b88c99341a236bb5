package dev.netlib.network;

import dev.netlib.Netlib;
import dev.netlib.ipam.IpamStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * A cluster of hosts this host joins when its {@link Networks} open: it supplies the drivers of
 * global scope (overlay) and the store their records and addresses live in, and runs whatever
 * keeps the membership alive (a lease, a watch) until {@link Joined#close()}. Implemented by
 * {@code dev.netlib.overlay.Cluster}; the network layer knows only this interface, so it does not
 * depend on the overlay (which depends on it).
 */
public interface ClusterMembership {

    /**
     * Joins the cluster as the host behind {@code host}.
     *
     * @param host     the host namespace's handle
     * @param etcNetns the root of the per-namespace /etc files, or null when none are written
     * @return the membership, to be closed when the networks close
     */
    Joined join(Netlib host, Path etcNetns);

    /** A live membership: what the network layer takes from it, and its end. */
    interface Joined extends AutoCloseable {
        /** @return the store every host of the cluster shares, for networks of global scope */
        IpamStore globalStore();

        /** @return the drivers the cluster brings (e.g. overlay), plugged in unless the builder set its own */
        Map<DriverKind, Driver> drivers();

        /**
         * Called once the networks are open, before they are handed out (e.g. to announce this
         * host's endpoints whose containers outlived the last process).
         *
         * @param networks the opened networks
         */
        void opened(Networks networks);

        /** Leaves the cluster: this host's adverts are withdrawn at once. */
        @Override
        void close();
    }
}
