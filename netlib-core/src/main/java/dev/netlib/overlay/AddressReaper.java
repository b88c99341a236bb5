package dev.netlib.overlay;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Txn;
import dev.netlib.ipam.Allocation;
import dev.netlib.ipam.IpPool;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the overlay addresses nobody will give back. Allocations are not leased (a host cut off for
 * longer than its lease must keep its containers' addresses), and carry their owner as {@code
 * HOST/ENDPOINT}. Two cases:
 *
 * <ul>
 *   <li>Another host's: when that host has had no registration for longer than the grace period
 *       (default 10 minutes), its allocations and owner records go.
 *   <li>This host's, at start: an allocation whose endpoint has no owner record was made by an
 *       earlier run that died between allocating and announcing (the owner record is written with the
 *       advert), so nothing uses it.
 * </ul>
 */
final class AddressReaper {
    private static final Logger LOG = LoggerFactory.getLogger(AddressReaper.class);

    private final ClusterStore store;
    private final Keys keys;
    private final Catalog catalog;
    private final ClusterView view;
    private final HostId me;
    private final long graceNanos;
    private final Map<HostId, Long> goneSince = new ConcurrentHashMap<>();

    AddressReaper(ClusterStore store, Keys keys, Catalog catalog, ClusterView view, HostId me, java.time.Duration grace) {
        this.store = store;
        this.keys = keys;
        this.catalog = catalog;
        this.view = view;
        this.me = me;
        this.graceNanos = grace.toNanos();
    }

    /** One pass over every network's pool: frees the addresses of hosts gone for longer than the grace period. */
    void sweep() {
        long now = System.nanoTime();
        for (OverlayNetwork n : view.networks()) {
            IpPool pool = catalog.pool(n);
            for (Allocation a : pool.allocations()) {
                int slash = a.owner().indexOf('/');
                if (slash <= 0) {
                    continue; // not an overlay agent's allocation
                }
                HostId h = HostId.of(a.owner().substring(0, slash));
                if (h.equals(me)) {
                    continue;
                }
                if (view.host(h).isPresent()) {
                    goneSince.remove(h);
                    continue;
                }
                Long since = goneSince.putIfAbsent(h, now);
                if (since != null && now - since >= graceNanos) {
                    free(n, pool, a, "its host " + h + " has been gone for longer than the grace period");
                }
            }
        }
    }

    /** At start: frees this host's allocations that no endpoint record owns (an earlier run died before announcing them). */
    void collectOwn() {
        for (OverlayNetwork n : view.networks()) {
            IpPool pool = catalog.pool(n);
            for (Allocation a : pool.allocations()) {
                String prefix = me.value() + "/";
                if (a.owner().startsWith(prefix) && store.get(keys.owner(n.id(), a.owner().substring(prefix.length()))).isEmpty()) {
                    free(n, pool, a, "no endpoint of this host owns it (an earlier run died before announcing it)");
                }
            }
        }
    }

    private void free(OverlayNetwork n, IpPool pool, Allocation a, String why) {
        LOG.info("freeing {} on overlay network {}: {}", a, n.name(), why);
        pool.releaseOwner(a.owner());
        String ep = a.owner().substring(a.owner().indexOf('/') + 1);
        store.txn(Txn.when().then(Op.delete(keys.owner(n.id(), ep))));
    }
}
