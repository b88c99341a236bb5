package dev.netlib.spi.change;

/**
 * One change to kernel state inside one namespace, as a backend receives it. Each renders as the
 * {@code ip}/{@code bridge} command that would make the same change, for logs and dry runs.
 */
public sealed interface KernelChange
        permits CreateLink, SetLink, DeleteLink, DeleteLinkGroup, AddAddress, DeleteAddress, AddRoute, DeleteRoute,
                SetNeighbor, DeleteNeighbor, AddFdb, DeleteFdb {

    /** The equivalent command, without a namespace option: {@code ip link add br0 type bridge}. */
    String command();

    /** The equivalent command run in the named namespace: {@code ip -n ns1 addr add ...}. */
    default String command(String namespaceName) {
        return Commands.inNamespace(command(), namespaceName);
    }
}
