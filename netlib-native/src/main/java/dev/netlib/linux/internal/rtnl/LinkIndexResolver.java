package dev.netlib.linux.internal.rtnl;

/**
 * Turns a link name of the socket's namespace into its ifindex, for attributes that only take an
 * index (IFLA_MASTER, IFLA_LINK, IFLA_VXLAN_LINK, ifa_index, RTA_OIF, ndm_ifindex).
 *
 * <p>Encoders call it BEFORE {@code beginMessage}: {@link Rtnl} may have to send the changes
 * queued so far first (when the name is created by an earlier change of the same batch).
 * Throws {@link dev.netlib.error.NotFoundException} (ENODEV) when there is no such link.
 */
@FunctionalInterface
public interface LinkIndexResolver {
    int indexOf(String name);
}
