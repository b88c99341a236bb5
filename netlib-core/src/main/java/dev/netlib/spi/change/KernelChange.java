package dev.netlib.spi.change;

/**
 * One change to kernel state inside one namespace, as a backend receives it. Each renders as the
 * {@code ip}/{@code bridge} command that would make the same change, for logs and dry runs.
 *
 * <p>Code that handles every kind of change dispatches through {@link #accept} with a {@link
 * Visitor}, never through an {@code instanceof} chain: a new kind of change adds a method to the
 * visitor, so every backend, encoder and renderer stops compiling until it handles the new kind
 * (Java 17 has no exhaustive pattern-matching switch).
 */
public sealed interface KernelChange
        permits CreateLink, SetLink, DeleteLink, DeleteLinkGroup, AddAddress, DeleteAddress, AddRoute, DeleteRoute,
                SetNeighbor, DeleteNeighbor, AddFdb, DeleteFdb {

    /**
     * The equivalent command, without a namespace option: {@code ip link add br0 type bridge}.
     * Rendered by {@link Commands}, which also says where it runs ({@link Commands#of}).
     *
     * @return the command line
     */
    default String command() {
        return Commands.of(null, this);
    }

    /**
     * The equivalent command run in the named namespace: {@code ip -n ns1 addr add ...}.
     *
     * @param namespaceName the iproute2 name, or null for none
     * @return the command line
     * @deprecated renders neither anonymous nor path namespaces; use {@link Commands#of}
     */
    @Deprecated
    default String command(String namespaceName) {
        return Commands.inNamespace(command(), namespaceName);
    }

    /**
     * Calls the visitor's method for this change's kind.
     *
     * @param visitor what to do for each kind
     * @param <R> what the visitor returns
     * @return the visitor's result
     */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of {@link KernelChange}: the exhaustive dispatch over the sealed type.
     *
     * @param <R> what each method returns ({@link Void} for side effects only)
     */
    interface Visitor<R> {
        /** @param c the change @return the result */
        R createLink(CreateLink c);

        /** @param c the change @return the result */
        R setLink(SetLink c);

        /** @param c the change @return the result */
        R deleteLink(DeleteLink c);

        /** @param c the change @return the result */
        R deleteLinkGroup(DeleteLinkGroup c);

        /** @param c the change @return the result */
        R addAddress(AddAddress c);

        /** @param c the change @return the result */
        R deleteAddress(DeleteAddress c);

        /** @param c the change @return the result */
        R addRoute(AddRoute c);

        /** @param c the change @return the result */
        R deleteRoute(DeleteRoute c);

        /** @param c the change @return the result */
        R setNeighbor(SetNeighbor c);

        /** @param c the change @return the result */
        R deleteNeighbor(DeleteNeighbor c);

        /** @param c the change @return the result */
        R addFdb(AddFdb c);

        /** @param c the change @return the result */
        R deleteFdb(DeleteFdb c);
    }
}
