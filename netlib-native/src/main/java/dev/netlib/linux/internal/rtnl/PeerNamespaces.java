package dev.netlib.linux.internal.rtnl;

import dev.netlib.model.NetnsRef;

/**
 * Looks into another namespace from this namespace's socket: a veth peer born there with a master
 * needs the master's ifindex in THAT namespace. RTM_GETLINK accepts IFLA_TARGET_NETNSID (Linux
 * 4.20+) and then answers from the namespace with that id as seen from the socket's namespace.
 */
public interface PeerNamespaces {
    /** The id this namespace gives {@code ns}, assigning one (RTM_NEWNSID) if it has none. */
    int nsid(NetnsRef ns);

    /** The ifindex of link {@code name} in the namespace with id {@code nsid}; NotFoundException if none. */
    int indexOf(int nsid, String name);
}
