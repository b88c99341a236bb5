package dev.netlib.linux.internal.rtnl;

import java.util.HashMap;
import java.util.Map;

/**
 * The name-to-ifindex pairs one rtnetlink session (one namespace) knows without asking the kernel:
 * indexes it looked up, indexes its own creations asked for ({@link CreateIndexes}), and lo = 1 in
 * a namespace netlib just made (the loopback device registers first in every namespace). So a
 * bridge is looked up once, not for every port, and a container's eth0 and lo need no lookup at all.
 *
 * <p>Kept true: {@link Rtnl} forgets a name when one of its own changes renames, moves or deletes
 * it (and everything after a delete or a move, in every session of the backend, as those can take
 * links of other namespaces along, and after a namespace is deleted or a handle on one released, whose death takes its veths'
 * peers along); a request that fails with ENODEV on a known index
 * (another process deleted the link) forgets the names it used and is sent again after a fresh
 * lookup. Not seen: another process renaming a link away and giving its name to a different link;
 * until a request fails, the name keeps meaning the old index, as an ifindex a program holds
 * would. Thread-safe.
 */
final class KnownIndexes {
    private final Map<String, Integer> byName = new HashMap<>();

    /** The index known for {@code name}, or 0. */
    synchronized int get(String name) {
        return byName.getOrDefault(name, 0);
    }

    synchronized void learn(String name, int index) {
        if (index > 0) {
            byName.put(name, index);
        }
    }

    synchronized void forget(String name) {
        byName.remove(name);
    }

    synchronized void clear() {
        byName.clear();
    }
}
