package dev.netlib.overlay;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.Compare;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.Txn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this host writes to the store about itself: its host record and its endpoints' adverts
 * (with their names), bound to its lease, and the durable owner record of each endpoint.
 */
final class Registration {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

    private final ClusterStore store;
    private final Keys keys;
    private final Catalog catalog;
    private final HostRecord self;

    Registration(ClusterStore store, Keys keys, Catalog catalog, HostRecord self) {
        this.store = store;
        this.keys = keys;
        this.catalog = catalog;
        this.self = self;
    }

    /** The host record and the adverts of {@code endpoints}, bound to {@code lease}: the host's registration. */
    List<Op> ops(long lease, Collection<OverlayEndpoint> endpoints) {
        List<Op> ops = new ArrayList<>(List.of(Op.put(keys.host(self.host()), self.encode(), lease)));
        endpoints.forEach(e -> ops.addAll(advertOps(e, lease)));
        return ops;
    }

    private List<Op> advertOps(OverlayEndpoint e, long lease) {
        EndpointAdvert a = new EndpointAdvert(e.network().id(), e.id(), self.host(), self.vtep(), e.ip(), e.mac(), e.name(), self.bootId(), e.aliases());
        List<Op> ops = new ArrayList<>();
        ops.add(Op.put(keys.endpoint(e.network().id(), e.id()), a.encode(), lease));
        if (e.name() != null) {
            ops.add(Op.put(keys.name(e.network().id(), e.name()), e.id(), lease));
        }
        return ops;
    }

    /**
     * Writes an endpoint's advert, its name and its owner record in one transaction that holds only
     * if the network is unchanged (not being removed) and the name is free on the network.
     *
     * @throws OverlayException if the network is gone or being removed, or the name is taken
     */
    void announce(OverlayEndpoint e, LongSupplier lease) {
        OverlayNetwork n = e.network();
        for (int attempt = 0; attempt < 16; attempt++) {
            KeyValue rec = catalog.record(n.id()).orElseThrow(() -> new OverlayException(
                    "overlay network '" + n.name() + "' was removed; cannot connect endpoint " + e.id()));
            if (OverlayNetwork.decode(rec.key(), n.id(), rec.value()).deleting()) {
                throw new OverlayException("overlay network '" + n.name() + "' is being removed; cannot connect endpoint " + e.id());
            }
            List<Compare> cmps = new ArrayList<>(List.of(Compare.modRevision(rec.key(), rec.modRevision())));
            List<Op> ops = new ArrayList<>(advertOps(e, lease.getAsLong()));
            ops.add(Op.put(keys.owner(n.id(), e.id()), self.host().value())); // durable: whose endpoint it is, even while this host is down
            if (e.name() != null) {
                cmps.add(Compare.absent(keys.name(n.id(), e.name())));
            }
            if (store.txn(Txn.when(cmps.toArray(Compare[]::new)).then(ops)).succeeded()) {
                return;
            }
            if (e.name() != null) {
                Optional<KeyValue> owner = store.get(keys.name(n.id(), e.name()));
                if (owner.isPresent()) {
                    String holder = store.get(keys.endpoint(n.id(), owner.get().value()))
                            .map(kv -> " on host " + EndpointAdvert.decode(kv.key(), n.id(), owner.get().value(), kv.value()).host()).orElse("");
                    throw new OverlayException("name '" + e.name() + "' is taken on overlay network '" + n.name() + "' by endpoint "
                            + owner.get().value() + holder + "; choose another name or disconnect that endpoint");
                }
            }
        }
        throw new OverlayException("could not announce endpoint " + e.id() + " on '" + n.name() + "': the network kept changing");
    }

    /** Deletes an endpoint's advert, owner record and name ({@code name} null: it has none). */
    void withdraw(String networkId, String endpointId, String name) {
        List<Op> ops = new ArrayList<>(List.of(Op.delete(keys.endpoint(networkId, endpointId)), Op.delete(keys.owner(networkId, endpointId))));
        if (name != null) {
            ops.add(Op.delete(keys.name(networkId, name)));
        }
        store.txn(Txn.when().then(ops));
    }

    /**
     * At start: this host's adverts from an earlier run (another boot id) are deleted, with their
     * names, so no host keeps programming endpoints that died with that run.
     */
    void collectStale(Range snapshot) {
        List<Op> ops = new ArrayList<>();
        for (KeyValue kv : snapshot.kvs()) {
            String rest = kv.key().substring(keys.prefix.length());
            String[] parts = rest.split("/");
            if (parts.length == 3 && parts[0].equals("endpoints")) {
                EndpointAdvert a = EndpointAdvert.decode(kv.key(), parts[1], parts[2], kv.value());
                if (a.host().equals(self.host()) && !a.bootId().equals(self.bootId())) {
                    ops.add(Op.delete(kv.key()));
                    if (a.name() != null) {
                        ops.add(Op.delete(keys.name(a.network(), a.name())));
                    }
                }
            }
        }
        if (!ops.isEmpty()) {
            LOG.info("overlay agent {}: collecting {} stale key(s) of an earlier run", self.host(), ops.size());
            store.txn(Txn.when().then(ops));
        }
    }
}
