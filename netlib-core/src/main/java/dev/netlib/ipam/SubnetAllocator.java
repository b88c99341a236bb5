package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.lock.Backoff;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hands out subnets to networks from a {@link SubnetPool} and remembers who holds which, in an
 * {@link IpamStore} (key {@value #KEY}), with compare-and-swap so racing callers never get
 * overlapping subnets.
 *
 * <pre>
 * netlib-ipam-subnets 1
 * s 172.17.0.0/16 bridge-net
 * s 10.5.0.0/24 my-net
 * </pre>
 *
 * Equivalent to Docker choosing a subnet for {@code docker network create NAME} (no {@code --subnet})
 * and checking {@code --subnet S} against the other networks.
 */
public final class SubnetAllocator {
    /** The store key of the subnet registry. */
    public static final String KEY = "ipam/subnets";
    private static final String MAGIC = "netlib-ipam-subnets 1";
    private static final long RETRY_BUDGET_NANOS = 30_000_000_000L;

    private final IpamStore store;
    private final SubnetPool pool;

    /** An allocator of subnets from {@code pool}, keeping its state in {@code store}. */
    public SubnetAllocator(IpamStore store, SubnetPool pool) {
        this.store = Objects.requireNonNull(store, "store");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** An allocator over Docker's default address pools. */
    public static SubnetAllocator withDockerDefaults(IpamStore store) {
        return new SubnetAllocator(store, SubnetPool.dockerDefaults());
    }

    /**
     * Allocates the first subnet of the pools that overlaps no registered subnet and none of {@code
     * alsoAvoid} (e.g. the host's own routes).
     *
     * @throws PoolExhaustedException if none is left
     */
    public IpPrefix allocate(String owner, Collection<IpPrefix> alsoAvoid) {
        Names.checkTag("owner", owner);
        return update(held -> {
            List<IpPrefix> inUse = new ArrayList<>(held.keySet());
            inUse.addAll(alsoAvoid);
            IpPrefix s = pool.nextFree(inUse);
            held.put(s, owner);
            return s;
        });
    }

    /** Allocates the next free subnet of the pool to {@code owner}. */
    public IpPrefix allocate(String owner) {
        return allocate(owner, List.of());
    }

    /**
     * Registers an explicitly requested subnet.
     *
     * @throws InvalidConfigException if its host bits are set, or it overlaps a registered subnet
     *     (the message names its owner)
     */
    public IpPrefix reserve(IpPrefix subnet, String owner) {
        Objects.requireNonNull(subnet, "subnet").requireSubnet();
        Names.checkTag("owner", owner);
        return update(held -> {
            for (var e : held.entrySet()) {
                if (e.getKey().isIpv4() == subnet.isIpv4() && e.getKey().overlaps(subnet)) {
                    throw new InvalidConfigException("subnet " + subnet + " overlaps subnet " + e.getKey() + " of '" + e.getValue() + "'");
                }
            }
            held.put(subnet, owner);
            return subnet;
        });
    }

    /** Registers {@code subnet}; see {@link #reserve(IpPrefix, String)}. */
    public IpPrefix reserve(String subnet, String owner) {
        return reserve(IpPrefix.parseSubnet(subnet), owner);
    }

    /**
     * Releases a registered subnet.
     *
     * @throws AddressNotAllocatedException if it is not registered
     */
    public void release(IpPrefix subnet) {
        Objects.requireNonNull(subnet, "subnet");
        update(held -> {
            if (held.remove(subnet) == null) {
                throw new AddressNotAllocatedException("cannot release subnet " + subnet + ": it is not allocated");
            }
            return subnet;
        });
    }

    /**
     * Releases {@code subnet} if {@code owner} holds it, in one compare-and-set of the store: a
     * subnet released and registered again by someone else since the caller read its owner stays
     * theirs.
     *
     * @return true if it was released, false if {@code owner} does not hold it (nothing changed)
     */
    public boolean release(IpPrefix subnet, String owner) {
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(owner, "owner");
        return update(held -> {
            if (!owner.equals(held.get(subnet))) {
                return null;
            }
            held.remove(subnet);
            return subnet;
        }) != null;
    }

    /** The registered subnets and their owners, in address order. */
    public Map<IpPrefix, String> subnets() {
        return store.get(KEY).map(v -> decode(v.value())).orElseGet(TreeMap::new);
    }

    /** The subnet registered to {@code owner}, if any. */
    public Optional<IpPrefix> subnetOf(String owner) {
        return subnets().entrySet().stream().filter(e -> e.getValue().equals(owner)).map(Map.Entry::getKey).findFirst();
    }

    /** A change of the registry; returns null when it changes nothing (then nothing is written). */
    private interface Edit {
        IpPrefix apply(TreeMap<IpPrefix, String> held);
    }

    private IpPrefix update(Edit edit) {
        long deadline = System.nanoTime() + RETRY_BUDGET_NANOS;
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned> cur = store.get(KEY);
            TreeMap<IpPrefix, String> held = cur.map(v -> decode(v.value())).orElseGet(TreeMap::new);
            IpPrefix result = edit.apply(held);
            if (result == null) {
                return null; // the edit changed nothing: nothing to write
            }
            boolean written;
            if (held.isEmpty() && cur.isPresent()) {
                // an empty registry is no record: releasing the last subnet leaves the store as it was
                // before the first one was taken, so an undone creation leaves nothing behind
                written = store.delete(KEY, cur.get().version());
            } else {
                written = store.compareAndSet(KEY, cur.map(Versioned::version).orElse(0L), encode(held)).isPresent();
            }
            if (written) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new StoreConflictException("subnet registry: gave up after " + attempt + " attempts lost to concurrent writers in the " + store.describe());
            }
            Backoff.pause(attempt, 1, 1, 1024);
        }
    }

    private static String encode(TreeMap<IpPrefix, String> held) {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n');
        held.forEach((p, o) -> sb.append("s ").append(p).append(' ').append(o).append('\n'));
        return sb.toString();
    }

    private TreeMap<IpPrefix, String> decode(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(MAGIC)) {
            throw corrupt("it does not start with '" + MAGIC + "'");
        }
        TreeMap<IpPrefix, String> out = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ", -1);
            if (f.length != 3 || !f[0].equals("s")) {
                throw corrupt("line " + (i + 1) + " '" + lines[i] + "' is not 's SUBNET OWNER'");
            }
            try {
                out.put(IpPrefix.parseSubnet(f[1]), f[2]);
            } catch (InvalidConfigException e) {
                throw corrupt("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private CorruptStoreException corrupt(String why) {
        return new CorruptStoreException("subnet registry '" + KEY + "' in the " + store.describe() + " is corrupt: " + why + "; it was left unchanged");
    }
}
