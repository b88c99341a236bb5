package dev.netlib.overlay;

import dev.netlib.cluster.ClusterIpamStore;
import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.Compare;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Txn;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.ipam.IpPool;
import dev.netlib.ipam.PoolExistsException;
import dev.netlib.ipam.PoolNotFoundException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The durable overlay records in the store: networks with their unique name and unique VNI (written
 * in one transaction, so a VNI exists exactly when its network does and can never leak), and their
 * address pools. Nothing here is leased: a host that is out of touch for a while must not lose its
 * networks or addresses.
 */
final class Catalog {
    private static final int ATTEMPTS = 64;

    private final ClusterStore store;
    private final Keys keys;
    private final int vniMin;
    private final int vniMax;
    private final ClusterIpamStore ipam;
    /** One pool object per network: its lock makes this host's allocations queue instead of racing each other's CAS. */
    private final java.util.Map<String, IpPool> pools = new java.util.concurrent.ConcurrentHashMap<>();

    Catalog(ClusterStore store, Keys keys, int vniMin, int vniMax) {
        this.store = store;
        this.keys = keys;
        this.vniMin = vniMin;
        this.vniMax = vniMax;
        this.ipam = new ClusterIpamStore(store, keys.ipam());
    }

    /**
     * Creates a network: picks the lowest free VNI and writes the network, its name and its VNI in one
     * transaction that holds only if the name and the VNI are still free and no network was created
     * since the subnets were checked; a lost race tries again (and then sees the winner's subnet).
     *
     * <p>The overlap check is made atomic by the subnet fence ({@link Keys#subnetFence()}): its mod
     * revision is read before the networks are listed, every create rewrites it, and the create's
     * transaction compares it. Two hosts creating overlapping subnets at once thus cannot both
     * succeed: the second transaction finds the fence moved. (Unique keys per subnet cannot do this:
     * 10.0.0.0/16 and 10.0.5.0/24 share no key.) Deletes leave the fence alone: removing a network
     * never makes a checked subnet overlap.
     */
    OverlayNetwork create(String name, IpPrefix subnet, InetAddress gateway, int mtu) {
        IpPrefix net = subnet.requireSubnet();
        InetAddress gw = gateway != null ? gateway : net.firstUsable();
        if (!net.contains(gw)) {
            throw new InvalidConfigException("gateway " + IpAddresses.format(gw) + " is outside subnet " + net + " of network " + name);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (store.get(keys.networkName(name)).isPresent()) {
                throw new OverlayException("overlay network '" + name + "' already exists in " + store.describe()
                        + " (perhaps created by another host); use it, or choose another name");
            }
            // the fence first: a network created after this read moves it, and our compare fails
            long fence = store.get(keys.subnetFence()).map(KeyValue::modRevision).orElse(0L);
            for (OverlayNetwork other : list()) {
                if (other.subnet().overlaps(net)) {
                    throw new InvalidConfigException("subnet " + net + " of overlay network '" + name + "' overlaps " + other.subnet()
                            + " of overlay network '" + other.name() + "'; choose a subnet that does not overlap");
                }
            }
            int vni = freeVni();
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            OverlayNetwork n = new OverlayNetwork(id, name, net, gw, vni, mtu, false);
            boolean ok = store.txn(Txn.when(Compare.absent(keys.networkName(name)), Compare.absent(keys.vni(vni)),
                            Compare.modRevision(keys.subnetFence(), fence))
                    .then(Op.put(keys.network(id), n.encode()), Op.put(keys.networkName(name), id), Op.put(keys.vni(vni), id),
                            Op.put(keys.subnetFence(), id))).succeeded();
            if (ok) {
                return n;
            }
        }
        throw new OverlayException("could not create overlay network '" + name + "': lost " + ATTEMPTS
                + " races with other hosts creating networks in " + store.describe() + "; try again");
    }

    private int freeVni() {
        Set<Integer> used = new HashSet<>();
        for (KeyValue kv : store.range(keys.vnis()).kvs()) {
            used.add(Integer.parseInt(kv.key().substring(keys.vnis().length())));
        }
        for (int v = vniMin; v <= vniMax; v++) {
            if (!used.contains(v)) {
                return v;
            }
        }
        throw new OverlayException("VNI range " + vniMin + ".." + vniMax + " is exhausted (" + used.size()
                + " overlay networks); delete unused overlay networks or widen the range with vniRange(min, max)");
    }

    Optional<OverlayNetwork> find(String name) {
        Optional<KeyValue> id = store.get(keys.networkName(name));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return store.get(keys.network(id.get().value())).map(kv -> OverlayNetwork.decode(kv.key(), id.get().value(), kv.value()));
    }

    Optional<KeyValue> record(String id) {
        return store.get(keys.network(id));
    }

    List<OverlayNetwork> list() {
        List<OverlayNetwork> out = new ArrayList<>();
        for (KeyValue kv : store.range(keys.networks()).kvs()) {
            out.add(OverlayNetwork.decode(kv.key(), kv.key().substring(keys.networks().length()), kv.value()));
        }
        return out;
    }

    /**
     * Removes a network that has no endpoint on any host. It is first marked "deleting" (which moves
     * its mod revision, so a join racing with the removal fails its compare), then the endpoints are
     * counted, then everything is deleted in one transaction on that revision.
     */
    void delete(String name) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<KeyValue> idKv = store.get(keys.networkName(name));
            if (idKv.isEmpty()) {
                throw new OverlayException("overlay network '" + name + "' does not exist in " + store.describe());
            }
            String id = idKv.get().value();
            Optional<KeyValue> rec = store.get(keys.network(id));
            if (rec.isEmpty()) {
                continue;
            }
            OverlayNetwork n = OverlayNetwork.decode(rec.get().key(), id, rec.get().value());
            OverlayNetwork marked = new OverlayNetwork(n.id(), n.name(), n.subnet(), n.gateway(), n.vni(), n.mtu(), true);
            var mark = store.txn(Txn.when(Compare.modRevision(rec.get().key(), rec.get().modRevision())).then(Op.put(rec.get().key(), marked.encode())));
            if (!mark.succeeded()) {
                continue;
            }
            long markedRev = mark.revision();
            int endpoints = store.range(keys.endpoints(id)).kvs().size();
            if (endpoints > 0) {
                store.txn(Txn.when(Compare.modRevision(rec.get().key(), markedRev)).then(Op.put(rec.get().key(), n.encode())));
                throw new OverlayException("overlay network '" + name + "' still has " + endpoints
                        + " endpoint(s) on some host; disconnect them first");
            }
            boolean ok = store.txn(Txn.when(Compare.modRevision(rec.get().key(), markedRev))
                    .then(Op.delete(keys.network(id)), Op.delete(keys.networkName(name)), Op.delete(keys.vni(n.vni())),
                            Op.deletePrefix(keys.ipam() + IpPool.KEY_PREFIX + id), Op.deletePrefix(keys.names(id)),
                            Op.deletePrefix(keys.owner(id, "")))).succeeded();
            if (ok) {
                pools.remove(id);
                return;
            }
        }
        throw new OverlayException("could not remove overlay network '" + name + "': it kept changing under " + ATTEMPTS + " attempts");
    }

    /** The network's address pool, created on first use from the network's record. */
    IpPool pool(OverlayNetwork n) {
        return pools.computeIfAbsent(n.id(), id -> openPool(n));
    }

    /** Forgets the cached pool object of a network (after a failure that may mean it was removed). */
    void forgetPool(OverlayNetwork n) {
        pools.remove(n.id());
    }

    private IpPool openPool(OverlayNetwork n) {
        try {
            return IpPool.open(ipam, n.id());
        } catch (PoolNotFoundException absent) {
            try {
                return IpPool.builder(ipam, n.id()).subnet(n.subnet()).gateway(n.gateway()).create();
            } catch (PoolExistsException raced) {
                return IpPool.open(ipam, n.id());
            }
        }
    }
}
