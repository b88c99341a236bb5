package dev.netlib.examples.bench.cluster;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.KeyValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints the store announces, read straight from etcd (the bench's own client, not any host's):
 * the truth each host's kernel must equal. Keys {@code netlib/v1/endpoints/NETID/EPID}, values one
 * {@code key=value} per line (host, vtep, ip, mac, name, bootId), as the overlay documents them.
 */
final class StoreAdverts {
    static final String ENDPOINTS = "netlib/v1/endpoints/";

    /**
     * One announced endpoint.
     *
     * @param host its host ({@code hN})
     * @param ip its address
     * @param mac its MAC
     * @param vtep its host's VTEP
     */
    record Advert(String host, String ip, String mac, String vtep) {}

    private StoreAdverts() {}

    /** Every advert in the store now. */
    static List<Advert> read(ClusterStore store) {
        List<Advert> out = new ArrayList<>();
        for (KeyValue kv : store.range(ENDPOINTS).kvs()) {
            Map<String, String> f = new HashMap<>();
            for (String line : kv.value().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    f.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            out.add(new Advert(f.get("host"), f.get("ip"), f.get("mac"), f.get("vtep")));
        }
        return out;
    }

    /** What host {@code hostId}'s kernel must hold: every other host's adverts, by IP. */
    static Map<String, Advert> expectedOn(List<Advert> all, String hostId) {
        Map<String, Advert> out = new HashMap<>();
        for (Advert a : all) {
            if (!hostId.equals(a.host())) {
                out.put(a.ip(), a);
            }
        }
        return out;
    }

    /** Addresses announced more than once (must be none). */
    static List<String> duplicateAddresses(List<Advert> all) {
        Map<String, Integer> count = new HashMap<>();
        all.forEach(a -> count.merge(a.ip(), 1, Integer::sum));
        return count.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    }
}
