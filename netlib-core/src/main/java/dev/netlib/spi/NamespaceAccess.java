package dev.netlib.spi;

import dev.netlib.model.NetnsRef;

/**
 * A backend and one namespace of it: what SPI-level code outside the API package works through
 * (netlib's NAT layer, the network layer, test kits). {@code dev.netlib.Netlib} is one, so such
 * code takes a handle without depending on the API package (which depends on it).
 */
public interface NamespaceAccess {
    /**
     * The backend the namespace belongs to.
     *
     * @return the backend
     */
    Backend backend();

    /**
     * The backend's reference to the namespace; fails when the namespace was closed.
     *
     * @return the reference
     */
    NetnsRef ref();
}
