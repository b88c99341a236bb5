package dev.netlib.linux.internal.rtnl;

import dev.netlib.model.NetnsRef;

/**
 * Hears the ifindex a veth peer was created with in another namespace ({@link CreateIndexes}), so
 * the session of that namespace can learn it ({@link Rtnl#learnIndex}) and address the peer
 * without a lookup; and hears when a session's change may have removed links of other namespaces,
 * so their sessions stop trusting the indexes they know.
 */
@FunctionalInterface
public interface PeerIndexSink {
    /** Peer {@code name} now exists in {@code ns} with ifindex {@code index}. */
    void learned(NetnsRef ns, String name, int index);

    /**
     * A change of this session deleted or moved a link, which can take links of other namespaces
     * along: a veth's peer, a macvlan moved away from its lower (macvlan_device_event() on
     * NETDEV_UNREGISTER deletes it wherever it is), a vxlan over a device that moved. Their
     * indexes may since belong to other links there (moves carry indexes between namespaces), so
     * a name known by index would silently address the wrong link. Does nothing by default.
     */
    default void linksMayBeGoneElsewhere() {
    }
}
