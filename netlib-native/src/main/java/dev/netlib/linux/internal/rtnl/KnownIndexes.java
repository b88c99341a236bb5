package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.NetlinkMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The name-to-ifindex pairs one rtnetlink session (one namespace) knows without asking the kernel:
 * indexes it looked up, indexes its own creations asked for ({@link CreateIndexes}), and lo = 1 in
 * a namespace netlib just made (the loopback device registers first in every namespace). So a
 * bridge is looked up once, not for every port, and a container's eth0 and lo need no lookup at all.
 *
 * <p>Kept true: {@link Rtnl} forgets a name when one of its own changes renames, moves or deletes
 * it (everything after a delete of its own; in the other sessions of the backend, everything but lo
 * and the bridges after a delete or a move, as those can take links of other namespaces along, and
 * after a namespace is deleted or a handle on one released, whose death takes its veths' peers
 * along); a request that fails with ENODEV on a known index
 * (another process deleted the link) forgets the names it used and is sent again after a fresh
 * lookup. Not seen: another process renaming a link away and giving its name to a different link;
 * until a request fails, the name keeps meaning the old index, as an ifindex a program holds
 * would. Thread-safe.
 */
final class KnownIndexes {
    private final Map<String, Integer> byName = new HashMap<>();
    /**
     * Names known to be links that no change outside this namespace can remove or renumber: lo and
     * bridges. Both are netns-local (never moved: br_dev_setup() and loopback_setup() set
     * netns_local), and neither has a lower device whose unregistering would take it along, as a
     * macvlan, vlan or vxlan has; a bridge's ports may go with another namespace, the bridge stays.
     */
    private final Set<String> stayHere = new HashSet<>();

    /** The index known for {@code name}, or 0. */
    synchronized int get(String name) {
        return byName.getOrDefault(name, 0);
    }

    synchronized void learn(String name, int index) {
        learn(name, index, false);
    }

    /** Learns {@code name}'s index; {@code staysHere}: it is lo or a bridge (see {@link #stayHere}). */
    synchronized void learn(String name, int index, boolean staysHere) {
        if (index > 0) {
            byName.put(name, index);
            if (staysHere) {
                stayHere.add(name);
            } else {
                stayHere.remove(name);
            }
        }
    }

    /** Learns {@code name}'s index from the kernel's RTM_NEWLINK for it; a bridge stays here. */
    void learn(String name, NetlinkMessage link) {
        learn(name, LinkDecoder.index(link), LinkDecoder.isBridge(link));
    }

    synchronized void forget(String name) {
        byName.remove(name);
        stayHere.remove(name);
    }

    /** Forgets everything: after this session's own deletes, which may have removed any link here. */
    synchronized void clear() {
        byName.clear();
        stayHere.clear();
    }

    /**
     * Forgets every name but lo and the bridges: after a change in another namespace (a delete, a
     * move, a namespace's death), which can take this namespace's veth peers, macvlans, vlans and
     * vxlans along but never lo or a bridge. So a container's removal costs the next connect to
     * the same bridge no lookup.
     */
    synchronized void forgetWhatOtherNamespacesCanRemove() {
        byName.keySet().retainAll(stayHere);
    }
}
