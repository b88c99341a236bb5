package dev.netlib.overlay;

import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.WatchEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's copy of the overlay keys (hosts, networks, endpoint adverts), built from a snapshot and
 * kept current by the watch. Each change says which networks it touches, so only those are
 * reconciled. Events older than what the view holds for a key are ignored, so a replay after a
 * resumed watch changes nothing (idempotent).
 */
final class ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    record Advert(EndpointAdvert advert, long revision) {}

    private final Keys keys;
    private final Map<String, OverlayNetwork> networks = new HashMap<>();
    private final Map<HostId, HostRecord> hosts = new HashMap<>();
    private final Map<String, Advert> adverts = new HashMap<>(); // by key
    private final Map<String, Long> revisions = new HashMap<>(); // last revision seen per key (deletes too)
    private long floor; // events at or below the last snapshot's revision are already in it

    ClusterView(Keys keys) {
        this.keys = keys;
    }

    /** Replaces everything with a snapshot; returns the ids of every network before and after. */
    synchronized Set<String> reset(Range snapshot) {
        Set<String> touched = new HashSet<>(networks.keySet());
        adverts.values().forEach(a -> touched.add(a.advert().network()));
        networks.clear();
        hosts.clear();
        adverts.clear();
        revisions.clear();
        for (KeyValue kv : snapshot.kvs()) {
            put(kv, touched);
        }
        floor = snapshot.revision();
        return touched;
    }

    /** Applies watched changes in order; returns the ids of the networks they touch. */
    synchronized Set<String> apply(List<WatchEvent> events) {
        Set<String> touched = new HashSet<>();
        for (WatchEvent e : events) {
            long rev = e.kv().modRevision();
            Long last = revisions.get(e.kv().key());
            if (rev <= floor || (last != null && rev <= last)) {
                continue;
            }
            if (e.type() == WatchEvent.Type.PUT) {
                put(e.kv(), touched);
            } else {
                remove(e.kv().key(), touched);
                revisions.put(e.kv().key(), rev);
            }
        }
        return touched;
    }

    private void put(KeyValue kv, Set<String> touched) {
        String rest = kv.key().substring(keys.prefix.length());
        revisions.put(kv.key(), kv.modRevision());
        try {
            if (rest.startsWith("networks/")) {
                String id = rest.substring("networks/".length());
                networks.put(id, OverlayNetwork.decode(kv.key(), id, kv.value()));
                touched.add(id);
            } else if (rest.startsWith("hosts/")) {
                String h = rest.substring("hosts/".length());
                hosts.put(HostId.of(h), HostRecord.decode(kv.key(), h, kv.value()));
                adverts.values().stream().filter(a -> a.advert().host().value().equals(h)).forEach(a -> touched.add(a.advert().network()));
            } else if (rest.startsWith("endpoints/")) {
                String[] parts = rest.split("/");
                if (parts.length == 3) {
                    adverts.put(kv.key(), new Advert(EndpointAdvert.decode(kv.key(), parts[1], parts[2], kv.value()), kv.modRevision()));
                    touched.add(parts[1]);
                }
            }
        } catch (RuntimeException corrupt) {
            LOG.warn("ignoring unreadable store entry {}: {}", kv.key(), corrupt.getMessage());
        }
    }

    private void remove(String key, Set<String> touched) {
        String rest = key.substring(keys.prefix.length());
        if (rest.startsWith("networks/")) {
            String id = rest.substring("networks/".length());
            networks.remove(id);
            touched.add(id);
        } else if (rest.startsWith("hosts/")) {
            String h = rest.substring("hosts/".length());
            hosts.remove(HostId.of(h));
            adverts.values().stream().filter(a -> a.advert().host().value().equals(h)).forEach(a -> touched.add(a.advert().network()));
        } else {
            Advert a = adverts.remove(key);
            if (a != null) {
                touched.add(a.advert().network());
            }
        }
    }

    synchronized Optional<OverlayNetwork> network(String id) {
        return Optional.ofNullable(networks.get(id));
    }

    synchronized Collection<OverlayNetwork> networks() {
        return List.copyOf(networks.values());
    }

    synchronized Set<String> networkIds() {
        Set<String> ids = new HashSet<>(networks.keySet());
        adverts.values().forEach(a -> ids.add(a.advert().network()));
        return ids;
    }

    synchronized Optional<HostRecord> host(HostId h) {
        return Optional.ofNullable(hosts.get(h));
    }

    /**
     * The adverts of a network whose host is registered, oldest write first: when two adverts claim
     * one address (a transient overlap after a crash), the later one wins, and the earlier one's
     * deletion leaves the later one programmed.
     */
    synchronized List<EndpointAdvert> adverts(String networkId) {
        List<Advert> out = new ArrayList<>();
        for (Advert a : adverts.values()) {
            if (a.advert().network().equals(networkId) && hosts.containsKey(a.advert().host())) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingLong(Advert::revision));
        return out.stream().map(Advert::advert).toList();
    }
}
