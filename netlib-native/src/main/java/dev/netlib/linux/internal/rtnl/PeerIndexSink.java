package dev.netlib.linux.internal.rtnl;

import dev.netlib.model.NetnsRef;

/**
 * Hears the ifindex a veth peer was created with in another namespace ({@link CreateIndexes}), so
 * the session of that namespace can learn it ({@link Rtnl#learnIndex}) and address the peer
 * without a lookup.
 */
@FunctionalInterface
public interface PeerIndexSink {
    /** Peer {@code name} now exists in {@code ns} with ifindex {@code index}. */
    void learned(NetnsRef ns, String name, int index);
}
