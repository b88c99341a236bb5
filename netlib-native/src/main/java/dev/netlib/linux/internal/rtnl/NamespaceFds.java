package dev.netlib.linux.internal.rtnl;

import dev.netlib.model.NetnsRef;

/**
 * Gives the open fd of a namespace, for IFLA_NET_NS_FD (create a link or a veth peer inside it, or
 * move a link there). The fd stays owned by the caller (the backend's namespace registry).
 * Called once more per change when a batch's input is checked before a send in its middle (Rtnl's
 * checkRest): keep it cheap and free of side effects.
 */
@FunctionalInterface
public interface NamespaceFds {
    int fdOf(NetnsRef ns);
}
