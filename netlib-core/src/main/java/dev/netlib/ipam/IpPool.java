package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.lock.Backoff;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A pool of IP addresses over one subnet (IPv4 or IPv6), Docker-style, whose state lives in an
 * {@link IpamStore} so that threads, processes and hosts sharing the store never hand out the same
 * address.
 *
 * <ul>
 *   <li>The gateway (by default the subnet's first host address) and the aux addresses are reserved;
 *       the network address and the IPv4 broadcast address are never handed out (IPv6: the
 *       subnet-router anycast address, offset 0, is not either).
 *   <li>{@link #allocate(String)} hands out the next free address after the last one it handed
 *       out, inside the optional IP range, wrapping around at its end, so a just-released address
 *       is not handed out again at once (Docker's sequential allocation).
 *   <li>Each allocation carries an owner tag (a container or endpoint id).
 *   <li>Memory and stored size grow with the number of allocations, never with the subnet: a /64
 *       pool costs what a /24 pool with the same allocations costs.
 * </ul>
 *
 * <p>Every change is a compare-and-swap of the pool's record on its version, retried after a re-read
 * when another writer got there first; nothing holds a lock across a store call for correctness.
 * Operations of one {@code IpPool} object run one at a time (they would only conflict with each
 * other) and reuse the record they wrote last, so a busy pool object does not re-parse its record;
 * separate objects, processes or hosts on the same store are kept apart by the compare-and-swap.
 *
 * <p>Equivalent to: {@code docker network create --subnet S --ip-range R --gateway G --aux-address
 * n=A} (the IPAM part), and {@code docker network connect --ip A} for a requested address.
 */
public final class IpPool {
    /** Store key prefix of pool records: {@code ipam/pools/NAME}. */
    public static final String KEY_PREFIX = "ipam/pools/";
    private static final long RETRY_BUDGET_NANOS = 30_000_000_000L;

    private final IpamStore store;
    private final String name;
    private final String key;
    private final ReentrantLock lock = new ReentrantLock();
    private PoolState cached; // guarded by lock
    private long cachedVersion; // guarded by lock

    private IpPool(IpamStore store, String name, PoolState state, long version) {
        this.store = store;
        this.name = name;
        this.key = KEY_PREFIX + name;
        this.cached = state;
        this.cachedVersion = version;
    }

    /** A builder for a new pool named {@code name} in {@code store}. */
    public static Builder builder(IpamStore store, String name) {
        return new Builder(store, name);
    }

    /**
     * Opens an existing pool.
     *
     * @throws PoolNotFoundException if the store has no pool of that name
     */
    public static IpPool open(IpamStore store, String name) {
        Objects.requireNonNull(store, "store");
        Names.checkPoolName(name);
        String key = KEY_PREFIX + name;
        Versioned v = store.get(key).orElseThrow(() -> new PoolNotFoundException(
                "IP pool '" + name + "' does not exist in the " + store.describe()));
        return new IpPool(store, name, PoolState.decode(where(store, key), v.value()), v.version());
    }

    /** The names of the pools in {@code store}, sorted. */
    public static List<String> names(IpamStore store) {
        List<String> out = new ArrayList<>();
        for (String k : store.list(KEY_PREFIX).keySet()) {
            out.add(k.substring(KEY_PREFIX.length()));
        }
        return out;
    }

    /** The pool's name in its store. */
    public String name() {
        return name;
    }

    /** The subnet the pool hands addresses out of. */
    public IpPrefix subnet() {
        return config().subnet();
    }

    /** The IP range sequential allocation is limited to, if one was set. */
    public Optional<IpPrefix> range() {
        return Optional.ofNullable(config().range());
    }

    /** The reserved gateway address, if the pool has one. */
    public Optional<InetAddress> gateway() {
        return Optional.ofNullable(config().gateway());
    }

    /** The reserved aux addresses by name. */
    public Map<String, InetAddress> auxAddresses() {
        return config().aux();
    }

    /** How many addresses {@link #allocate(String)} can hand out in all: the range minus reserved addresses. */
    public BigInteger size() {
        return config().size();
    }

    private PoolConfig config() {
        lock.lock();
        try {
            return cached.config;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Allocates the next free address after the last one handed out, wrapping around.
     *
     * @throws PoolExhaustedException naming the pool and its size when every address is taken
     */
    public InetAddress allocate(String owner) {
        Names.checkTag("owner", owner);
        return update(state -> {
            PoolConfig c = state.config;
            BigInteger lo = state.lo;
            BigInteger hi = state.hi;
            if (hi.compareTo(lo) < 0) {
                throw exhausted(c, state.size);
            }
            BigInteger start = state.last == null ? lo : state.last.add(BigInteger.ONE);
            if (start.compareTo(lo) < 0 || start.compareTo(hi) > 0) {
                start = lo;
            }
            BigInteger cand = start;
            // Visits only taken addresses before a free one, so at most allocations + reserved steps:
            // never proportional to the size of the pool.
            while (state.allocations.containsKey(cand) || state.reserved.contains(cand)) {
                cand = cand.equals(hi) ? lo : cand.add(BigInteger.ONE);
                if (cand.equals(start)) {
                    throw exhausted(c, state.size);
                }
            }
            return Change.allocate(cand, owner, cand);
        }).address();
    }

    private static PoolExhaustedException exhausted(PoolConfig c, BigInteger size) {
        return new PoolExhaustedException("IP pool " + c.describe() + " is exhausted: all " + size
                + " addresses are allocated" + (c.range() != null ? " in its range" : ""));
    }

    /** Allocates {@code address} for {@code owner}; see {@link #allocate(InetAddress, String)}. */
    public InetAddress allocate(String address, String owner) {
        return allocate(IpAddresses.parse(address), owner);
    }

    /**
     * Allocates a requested address, which may lie outside the IP range but must lie in the subnet.
     * Does not move the sequential cursor.
     *
     * @throws InvalidConfigException if the address is outside the subnet, or is its network or
     *     broadcast address
     * @throws AddressInUseException if it is allocated (the message names the owner), the gateway or
     *     an aux address
     */
    public InetAddress allocate(InetAddress address, String owner) {
        Objects.requireNonNull(address, "address");
        Names.checkTag("owner", owner);
        return update(state -> {
            PoolConfig c = state.config;
            BigInteger off = offsetOf(c, address);
            String why = c.unusableReason(off);
            if (why != null) {
                if (off.compareTo(PoolConfig.firstUsable(c.subnet())) < 0 || off.compareTo(PoolConfig.lastUsable(c.subnet())) > 0) {
                    throw new InvalidConfigException("cannot allocate " + IpAddresses.format(address) + " from pool '" + name + "': it is " + why);
                }
                throw new AddressInUseException("cannot allocate " + IpAddresses.format(address) + " from pool '" + name + "': it is " + why);
            }
            String holder = state.allocations.get(off);
            if (holder != null) {
                throw new AddressInUseException(IpAddresses.format(address) + " in pool '" + name + "' is already allocated to " + holder);
            }
            return Change.allocate(off, owner, state.last);
        }).address();
    }

    /**
     * Releases an allocated address.
     *
     * @throws AddressNotAllocatedException if the address is not allocated: a release that does not
     *     match an allocation is reported, never silently ignored, because it usually means two
     *     owners believed they held the same address
     * @throws InvalidConfigException if the address is outside the subnet
     */
    public void release(InetAddress address) {
        Objects.requireNonNull(address, "address");
        update(state -> {
            BigInteger off = offsetOf(state.config, address);
            if (!state.allocations.containsKey(off)) {
                throw new AddressNotAllocatedException("cannot release " + IpAddresses.format(address) + " from pool '" + name + "': it is not allocated");
            }
            return Change.release(List.of(off));
        });
    }

    /** Releases {@code address}; see {@link #release(InetAddress)}. */
    public void release(String address) {
        release(IpAddresses.parse(address));
    }

    /**
     * Releases every address allocated to {@code owner} and returns them (empty if it had none:
     * releasing all of an owner's addresses is idempotent, unlike {@link #release(InetAddress)}).
     */
    public List<InetAddress> releaseOwner(String owner) {
        Names.checkTag("owner", owner);
        List<BigInteger> offs = new ArrayList<>();
        PoolConfig[] config = new PoolConfig[1];
        update(state -> {
            offs.clear();
            config[0] = state.config;
            state.allocations.forEach((off, o) -> {
                if (o.equals(owner)) {
                    offs.add(off);
                }
            });
            return offs.isEmpty() ? Change.NONE : Change.release(List.copyOf(offs));
        });
        List<InetAddress> out = new ArrayList<>();
        for (BigInteger off : offs) {
            out.add(config[0].subnet().nth(off));
        }
        return out;
    }

    /** Every allocation, in address order, as the store holds it now. */
    public List<Allocation> allocations() {
        return read(s -> {
            List<Allocation> out = new ArrayList<>(s.allocations.size());
            s.allocations.forEach((off, owner) -> out.add(new Allocation(s.config.subnet().nth(off), owner)));
            return out;
        });
    }

    /** The allocations of {@code owner}, in address order. */
    public List<Allocation> allocationsOf(String owner) {
        List<Allocation> out = new ArrayList<>();
        for (Allocation a : allocations()) {
            if (a.owner().equals(owner)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The owner of {@code address}, if it is allocated. */
    public Optional<String> ownerOf(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return read(s -> Optional.ofNullable(s.allocations.get(offsetOf(s.config, address))));
    }

    /**
     * Deletes the pool from the store.
     *
     * @throws IpamException if addresses are still allocated (release them first)
     */
    public void delete() {
        long deadline = System.nanoTime() + RETRY_BUDGET_NANOS;
        while (true) {
            Versioned v = store.get(key).orElseThrow(() -> notFound());
            PoolState s = PoolState.decode(where(store, key), v.value());
            if (!s.allocations.isEmpty()) {
                throw new IpamException("cannot delete IP pool '" + name + "': " + s.allocations.size() + " addresses are still allocated");
            }
            if (store.delete(key, v.version())) {
                return;
            }
            backoff(deadline, 1);
        }
    }

    private BigInteger offsetOf(PoolConfig c, InetAddress address) {
        if (!c.subnet().contains(address)) {
            throw new InvalidConfigException(IpAddresses.format(address) + " is outside subnet " + c.subnet() + " of pool '" + name + "'");
        }
        return c.subnet().indexOf(address);
    }

    private PoolNotFoundException notFound() {
        return new PoolNotFoundException("IP pool '" + name + "' no longer exists in the " + store.describe());
    }

    private static String where(IpamStore store, String key) {
        return "'" + key + "' in the " + store.describe();
    }

    /** Applies {@code f} to the current state, under the lock (the cached state is mutated by updates). */
    private <T> T read(Function<PoolState, T> f) {
        lock.lock();
        try {
            Versioned v = store.get(key).orElseThrow(this::notFound);
            return f.apply(stateOf(v));
        } finally {
            lock.unlock();
        }
    }

    /** The parsed state of {@code v}, reusing the cached one when it is that version. Under lock. */
    private PoolState stateOf(Versioned v) {
        if (v.version() != cachedVersion) {
            cached = PoolState.decode(where(store, key), v.value());
            cachedVersion = v.version();
        }
        return cached;
    }

    /** What one attempt decided: add an allocation, remove some, or nothing. */
    private record Change(BigInteger added, String owner, BigInteger newLast, List<BigInteger> removed) {
        static final Change NONE = new Change(null, null, null, List.of());

        static Change allocate(BigInteger off, String owner, BigInteger newLast) {
            return new Change(off, owner, newLast, List.of());
        }

        static Change release(List<BigInteger> offs) {
            return new Change(null, null, null, offs);
        }
    }

    private record Outcome(InetAddress address) {}

    private interface Decision {
        Change decide(PoolState state);
    }

    /** Read, decide, compare-and-swap; on a conflict re-read and decide again. */
    private Outcome update(Decision decision) {
        long deadline = System.nanoTime() + RETRY_BUDGET_NANOS;
        lock.lock();
        try {
            // The first attempt trusts the record this object read or wrote last, saving a store
            // round trip when nobody else wrote since; anything it concludes is confirmed by the CAS,
            // and a failure or an error decided on it leads to a fresh read.
            boolean speculative = true;
            for (int attempt = 1; ; attempt++) {
                PoolState state;
                long version;
                if (speculative) {
                    state = cached;
                    version = cachedVersion;
                } else {
                    Versioned v = store.get(key).orElseThrow(this::notFound);
                    state = stateOf(v);
                    version = v.version();
                }
                Change ch;
                try {
                    ch = decision.decide(state);
                } catch (RuntimeException e) {
                    if (speculative) {
                        speculative = false;
                        continue;
                    }
                    throw e;
                }
                if (ch == Change.NONE) {
                    if (speculative) {
                        speculative = false;
                        continue;
                    }
                    return new Outcome(null);
                }
                String next;
                if (ch.added() != null) {
                    next = state.textWith(ch.added(), ch.owner(), ch.newLast());
                } else {
                    next = state.text;
                    for (BigInteger off : ch.removed()) {
                        next = PoolState.textWithout(next, off);
                    }
                }
                OptionalLong written = store.compareAndSet(key, version, next);
                if (written.isPresent()) {
                    // Our write is the new current record: apply it to the cached state instead of re-parsing.
                    if (ch.added() != null) {
                        state.allocations.put(ch.added(), ch.owner());
                        state.last = ch.newLast();
                    } else {
                        ch.removed().forEach(state.allocations::remove);
                    }
                    state.text = next;
                    cachedVersion = written.getAsLong();
                    return new Outcome(ch.added() == null ? null : state.config.subnet().nth(ch.added()));
                }
                if (speculative) {
                    speculative = false; // someone else wrote: read their record, no pause needed yet
                    continue;
                }
                backoff(deadline, attempt);
            }
        } finally {
            lock.unlock();
        }
    }

    private void backoff(long deadline, int attempt) {
        if (System.nanoTime() > deadline) {
            throw new StoreConflictException("IP pool '" + name + "': gave up after " + attempt
                    + " attempts lost to concurrent writers in the " + store.describe());
        }
        if (Backoff.pause(attempt, 3, 50, 20_000)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IpamStoreException("interrupted while retrying an update of IP pool '" + name + "'");
            }
        } else {
            Thread.yield();
        }
    }

    /** Collects the settings of a new pool; nothing is stored before {@link #create()}. */
    public static final class Builder {
        private final IpamStore store;
        private final String name;
        private IpPrefix subnet;
        private IpPrefix range;
        private InetAddress gateway;
        private boolean noGateway;
        private final Map<String, InetAddress> aux = new LinkedHashMap<>();

        private Builder(IpamStore store, String name) {
            this.store = Objects.requireNonNull(store, "store");
            this.name = Names.checkPoolName(name);
        }

        /** The subnet, host bits zero ({@code --subnet}). Required. */
        public Builder subnet(String subnet) {
            return subnet(IpPrefix.parseSubnet(subnet));
        }

        /** The pool's subnet ({@code --subnet}). */
        public Builder subnet(IpPrefix subnet) {
            this.subnet = Objects.requireNonNull(subnet, "subnet").requireSubnet();
            return this;
        }

        /** Limits sequential allocation to this sub-range of the subnet ({@code --ip-range}). */
        public Builder ipRange(String range) {
            return ipRange(IpPrefix.parseSubnet(range));
        }

        /** Limits sequential allocation to this sub-range of the subnet ({@code --ip-range}). */
        public Builder ipRange(IpPrefix range) {
            this.range = Objects.requireNonNull(range, "range").requireSubnet();
            return this;
        }

        /** The gateway ({@code --gateway}); by default the subnet's first host address. */
        public Builder gateway(String gateway) {
            return gateway(IpAddresses.parse(gateway));
        }

        /** The gateway ({@code --gateway}); by default the subnet's first host address. */
        public Builder gateway(InetAddress gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            this.noGateway = false;
            return this;
        }

        /** No gateway address is reserved (e.g. an internal network or a point-to-point /31). */
        public Builder noGateway() {
            this.gateway = null;
            this.noGateway = true;
            return this;
        }

        /** Reserves an address under a name ({@code --aux-address name=address}). */
        public Builder auxAddress(String auxName, String address) {
            return auxAddress(auxName, IpAddresses.parse(address));
        }

        /** Reserves an address under a name ({@code --aux-address name=address}). */
        public Builder auxAddress(String auxName, InetAddress address) {
            aux.put(Names.checkTag("aux-address name", auxName), Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Validates the settings and stores the new, empty pool.
         *
         * @throws InvalidConfigException for a missing subnet, or a range, gateway or aux address
         *     outside the subnet
         * @throws PoolExistsException if the store already has a pool of that name
         */
        public IpPool create() {
            if (subnet == null) {
                throw new InvalidConfigException("pool '" + name + "' needs a subnet");
            }
            InetAddress gw = gateway != null ? gateway : noGateway ? null : PoolConfig.defaultGateway(subnet);
            PoolConfig config = new PoolConfig(name, subnet, range, gw, aux);
            PoolState state = PoolState.empty(config);
            String key = KEY_PREFIX + name;
            OptionalLong v = store.compareAndSet(key, 0, state.text);
            if (v.isEmpty()) {
                throw new PoolExistsException("IP pool '" + name + "' already exists in the " + store.describe());
            }
            return new IpPool(store, name, state, v.getAsLong());
        }
    }
}
