package dev.netlib;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The namespaces created through one root {@link Netlib} handle (and the handles {@link
 * Netlib#in} made from it) that are still owned and open. Closing the root handle deletes them
 * first, newest first, so closing {@code Netlib} before a namespace it created never leaves a
 * named namespace behind, on any backend.
 */
final class OwnedNamespaces {
    private final Set<Namespace> open = ConcurrentHashMap.newKeySet();
    private final List<Namespace> order = new ArrayList<>();

    synchronized Namespace add(Namespace ns) {
        open.add(ns);
        order.add(ns);
        ns.ownedBy(this);
        return ns;
    }

    synchronized void remove(Namespace ns) {
        open.remove(ns);
        order.remove(ns);
    }

    /**
     * Deletes every namespace still registered, newest first; the first failure is thrown after
     * all were tried (a namespace whose delete failed stays open and registered).
     */
    void deleteAll() {
        List<Namespace> todo;
        synchronized (this) {
            todo = new ArrayList<>(order);
        }
        RuntimeException first = null;
        for (int i = todo.size() - 1; i >= 0; i--) {
            try {
                todo.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
