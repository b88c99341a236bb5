package dev.netlib.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link IpPool}, {@link SubnetAllocator} and the {@link IpamStore} contract, run
 * against every store: memory, file and etcd. A subclass supplies a fresh, empty store per test.
 */
public abstract class IpPoolContract {
    protected IpamStore store;

    /** A new, empty store (its own namespace) for one test. */
    protected abstract IpamStore newStore() throws Exception;

    /** Allocations per thread in the 8-thread test; stores that fsync every write use fewer. */
    protected int allocationsPerThread() {
        return 1000;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private static String fmt(InetAddress a) {
        return IpAddresses.format(a);
    }

    // ---- the store contract ----

    @Test
    void storeCompareAndSetFollowsVersions() {
        assertThat(store.get("t/a")).isEmpty();
        long v1 = store.compareAndSet("t/a", 0, "one\nline two").orElseThrow();
        assertThat(store.get("t/a")).contains(new Versioned("one\nline two", v1));
        assertThat(store.compareAndSet("t/a", 0, "again")).as("create over an existing key").isEmpty();
        assertThat(store.compareAndSet("t/a", v1 + 1000, "stale")).isEmpty();
        long v2 = store.compareAndSet("t/a", v1, "two").orElseThrow();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(store.compareAndSet("t/a", v1, "stale")).as("old version").isEmpty();
        assertThat(store.get("t/a").orElseThrow().value()).isEqualTo("two");
        store.compareAndSet("t/b", 0, "b").orElseThrow();
        store.compareAndSet("u/c", 0, "c").orElseThrow();
        assertThat(store.list("t/").keySet()).containsExactly("t/a", "t/b");
        assertThat(store.delete("t/a", v1)).as("delete with an old version").isFalse();
        assertThat(store.delete("t/a", v2)).isTrue();
        assertThat(store.get("t/a")).isEmpty();
        assertThat(store.delete("t/a", v2)).isFalse();
        long v3 = store.compareAndSet("t/a", 0, "reborn").orElseThrow();
        assertThat(v3).as("a re-created key never reuses a version").isNotIn(v1, v2);
        assertThat(store.compareAndSet("t/a", v2, "aba")).isEmpty();
        assertThat(store.list("t/").keySet()).containsExactly("t/a", "t/b");
    }

    @Test
    void storeRejectsBadKeys() {
        assertThatThrownBy(() -> store.get("bad key")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("' '");
        assertThatThrownBy(() -> store.get("../etc/passwd")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> store.compareAndSet("", 0, "x")).isInstanceOf(InvalidConfigException.class);
    }

    // ---- IpPool ----

    @Test
    void allocatesSequentiallyAfterTheGateway() {
        IpPool pool = IpPool.builder(store, "net1").subnet("172.20.0.0/24").create();
        assertThat(pool.gateway()).contains(ip("172.20.0.1"));
        assertThat(pool.size()).isEqualTo(253); // 254 hosts minus the gateway
        assertThat(fmt(pool.allocate("c1"))).isEqualTo("172.20.0.2");
        assertThat(fmt(pool.allocate("c2"))).isEqualTo("172.20.0.3");
        assertThat(pool.allocations()).containsExactly(new Allocation(ip("172.20.0.2"), "c1"), new Allocation(ip("172.20.0.3"), "c2"));
    }

    @Test
    void releasedAddressIsNotReusedAtOnceButAfterWrapAround() {
        // 10.1.0.0/29: hosts .1-.6, .1 the gateway: .2 .3 .4 .5 .6 allocatable.
        IpPool pool = IpPool.builder(store, "small").subnet("10.1.0.0/29").create();
        assertThat(pool.size()).isEqualTo(5);
        assertThat(fmt(pool.allocate("a"))).isEqualTo("10.1.0.2");
        assertThat(fmt(pool.allocate("b"))).isEqualTo("10.1.0.3");
        pool.release(ip("10.1.0.2"));
        assertThat(fmt(pool.allocate("c"))).as("the just-released .2 is not handed out again at once").isEqualTo("10.1.0.4");
        assertThat(fmt(pool.allocate("d"))).isEqualTo("10.1.0.5");
        assertThat(fmt(pool.allocate("e"))).isEqualTo("10.1.0.6");
        assertThat(fmt(pool.allocate("f"))).as("wrap-around finds the released .2").isEqualTo("10.1.0.2");
        assertThatThrownBy(() -> pool.allocate("g")).isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("'small'").hasMessageContaining("10.1.0.0/29").hasMessageContaining("all 5 addresses");
        pool.release("10.1.0.4");
        assertThat(fmt(pool.allocate("h"))).isEqualTo("10.1.0.4");
    }

    @Test
    void requestedAddresses() {
        IpPool pool = IpPool.builder(store, "req").subnet("10.2.0.0/24").ipRange("10.2.0.128/25").auxAddress("host1", "10.2.0.5").create();
        assertThat(fmt(pool.allocate("10.2.0.10", "c1"))).as("outside the range but inside the subnet").isEqualTo("10.2.0.10");
        assertThatThrownBy(() -> pool.allocate("10.2.0.10", "c2")).isInstanceOf(AddressInUseException.class).hasMessageContaining("c1");
        assertThatThrownBy(() -> pool.allocate("10.2.0.1", "c2")).isInstanceOf(AddressInUseException.class).hasMessageContaining("gateway");
        assertThatThrownBy(() -> pool.allocate("10.2.0.5", "c2")).isInstanceOf(AddressInUseException.class).hasMessageContaining("host1");
        assertThatThrownBy(() -> pool.allocate("10.3.0.10", "c2")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("outside subnet 10.2.0.0/24");
        assertThatThrownBy(() -> pool.allocate("10.2.0.0", "c2")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("network address");
        assertThatThrownBy(() -> pool.allocate("10.2.0.255", "c2")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("broadcast");
        assertThatThrownBy(() -> pool.allocate(ip("fd00::1"), "c2")).isInstanceOf(InvalidConfigException.class);
        assertThat(fmt(pool.allocate("c3"))).as("sequential allocation stays in the range").isEqualTo("10.2.0.128");
        assertThat(pool.ownerOf(ip("10.2.0.10"))).contains("c1");
        assertThat(pool.ownerOf(ip("10.2.0.11"))).isEmpty();
    }

    @Test
    void rangeLimitsSequentialAllocation() {
        IpPool pool = IpPool.builder(store, "ranged").subnet("10.4.0.0/24").ipRange("10.4.0.252/30").create();
        assertThat(pool.size()).isEqualTo(3); // .252 .253 .254 (.255 is the broadcast)
        assertThat(List.of(fmt(pool.allocate("a")), fmt(pool.allocate("b")), fmt(pool.allocate("c"))))
                .containsExactly("10.4.0.252", "10.4.0.253", "10.4.0.254");
        assertThatThrownBy(() -> pool.allocate("d")).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("'ranged'")
                .hasMessageContaining("all 3 addresses");
    }

    @Test
    void releaseOfAnUnallocatedAddressIsReported() {
        IpPool pool = IpPool.builder(store, "rel").subnet("10.5.0.0/24").create();
        InetAddress a = pool.allocate("c1");
        pool.release(a);
        assertThatThrownBy(() -> pool.release(a)).isInstanceOf(AddressNotAllocatedException.class)
                .hasMessageContaining(fmt(a)).hasMessageContaining("not allocated");
        assertThatThrownBy(() -> pool.release("10.5.0.77")).isInstanceOf(AddressNotAllocatedException.class);
        assertThatThrownBy(() -> pool.release("10.6.0.77")).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void ownersAreTrackedAndReleasedTogether() {
        IpPool pool = IpPool.builder(store, "own").subnet("10.6.0.0/24").create();
        InetAddress a1 = pool.allocate("ep-a");
        pool.allocate("ep-b");
        InetAddress a3 = pool.allocate("10.6.0.99", "ep-a");
        assertThat(pool.allocationsOf("ep-a")).extracting(Allocation::address).containsExactly(a1, a3);
        assertThat(pool.releaseOwner("ep-a")).containsExactlyInAnyOrder(a1, a3);
        assertThat(pool.allocationsOf("ep-a")).isEmpty();
        assertThat(pool.allocations()).extracting(Allocation::owner).containsExactly("ep-b");
        assertThat(pool.releaseOwner("ep-a")).isEmpty();
        assertThatThrownBy(() -> pool.allocate("bad owner")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("owner");
    }

    @Test
    void badPoolSettingsAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> IpPool.builder(store, "b").subnet("10.7.0.5/24")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("host bits").hasMessageContaining("10.7.0.0/24");
        assertThatThrownBy(() -> IpPool.builder(store, "b").subnet("10.7.0.0/24").gateway("10.8.0.1").create())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("gateway 10.8.0.1 is outside subnet 10.7.0.0/24");
        assertThatThrownBy(() -> IpPool.builder(store, "b").subnet("10.7.0.0/24").ipRange("10.7.1.0/25").create())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("range 10.7.1.0/25 is outside subnet 10.7.0.0/24");
        assertThatThrownBy(() -> IpPool.builder(store, "b").subnet("10.7.0.0/24").auxAddress("x", "10.9.0.1").create())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("outside subnet");
        assertThatThrownBy(() -> IpPool.builder(store, "b").subnet("10.7.0.0/24").gateway("10.7.0.255").create())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("broadcast");
        assertThatThrownBy(() -> IpPool.builder(store, "b").create()).isInstanceOf(InvalidConfigException.class).hasMessageContaining("subnet");
        assertThatThrownBy(() -> IpPool.builder(store, "no/slash")).isInstanceOf(InvalidConfigException.class);
        assertThat(IpPool.names(store)).as("nothing stored by a failed create").isEmpty();
    }

    @Test
    void poolsPersistInTheStoreAndNamesAreUnique() {
        IpPool pool = IpPool.builder(store, "persist").subnet("10.8.0.0/24").gateway("10.8.0.254").auxAddress("h", "10.8.0.3").create();
        InetAddress a = pool.allocate("c1");
        assertThat(fmt(a)).isEqualTo("10.8.0.1");
        assertThatThrownBy(() -> IpPool.builder(store, "persist").subnet("10.9.0.0/24").create()).isInstanceOf(PoolExistsException.class);
        IpPool again = IpPool.open(store, "persist");
        assertThat(again.subnet()).isEqualTo(IpPrefix.parseSubnet("10.8.0.0/24"));
        assertThat(again.gateway()).contains(ip("10.8.0.254"));
        assertThat(again.auxAddresses()).isEqualTo(Map.of("h", ip("10.8.0.3")));
        assertThat(again.allocations()).containsExactly(new Allocation(a, "c1"));
        assertThat(fmt(again.allocate("c2"))).as("the cursor is stored too; .3 is reserved").isEqualTo("10.8.0.2");
        assertThat(fmt(pool.allocate("c3"))).as("the first object sees the second's write").isEqualTo("10.8.0.4");
        assertThat(IpPool.names(store)).containsExactly("persist");
        assertThatThrownBy(pool::delete).isInstanceOf(IpamException.class).hasMessageContaining("still allocated");
        pool.releaseOwner("c1");
        pool.releaseOwner("c2");
        pool.releaseOwner("c3");
        pool.delete();
        assertThatThrownBy(() -> IpPool.open(store, "persist")).isInstanceOf(PoolNotFoundException.class).hasMessageContaining("persist");
    }

    @Test
    void ipv6Slash64CostsNothingPerUnusedAddress() {
        IpPool pool = IpPool.builder(store, "v6").subnet("fd00:1:2:3::/64").create();
        assertThat(pool.gateway()).contains(ip("fd00:1:2:3::1"));
        assertThat(pool.size().bitLength()).isEqualTo(64);
        List<InetAddress> got = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            got.add(pool.allocate("c" + i));
        }
        assertThat(fmt(got.get(0))).isEqualTo("fd00:1:2:3::2");
        assertThat(fmt(got.get(199))).isEqualTo("fd00:1:2:3::c9");
        InetAddress top = pool.allocate("fd00:1:2:3:ffff:ffff:ffff:fffe", "top");
        assertThat(fmt(top)).isEqualTo("fd00:1:2:3:ffff:ffff:ffff:fffe");
        // The stored record grows with the allocations, not with the 2^64 addresses.
        int stored = store.get(IpPool.KEY_PREFIX + "v6").orElseThrow().value().length();
        assertThat(stored).isLessThan(200 * 20 + 500);
        pool.release(top);
        pool.release(got.get(5));
        assertThat(pool.allocations()).hasSize(199);
    }

    @Test
    void ipv6RangeWrapsAround() {
        IpPool pool = IpPool.builder(store, "v6r").subnet("fd00:9::/64").ipRange("fd00:9::ffff:ffff:ffff:fffc/126").create();
        assertThat(pool.size()).isEqualTo(4);
        Set<String> got = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            got.add(fmt(pool.allocate("c" + i)));
        }
        assertThat(got).hasSize(4);
        assertThatThrownBy(() -> pool.allocate("x")).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("all 4");
    }

    // ---- subnets ----

    @Test
    void subnetAllocatorHandsOutDockerDefaultsWithoutOverlap() {
        SubnetAllocator subnets = SubnetAllocator.withDockerDefaults(store);
        assertThat(subnets.allocate("bridge").toString()).isEqualTo("172.17.0.0/16");
        assertThat(subnets.allocate("n1", List.of(IpPrefix.parseSubnet("172.18.5.0/24"))).toString())
                .as("172.18.0.0/16 overlaps a route of the host").isEqualTo("172.19.0.0/16");
        subnets.reserve("172.20.0.0/24", "explicit");
        assertThat(subnets.allocate("n2").toString()).isEqualTo("172.18.0.0/16");
        assertThat(subnets.allocate("n3").toString()).as("172.20/16 overlaps the explicit /24").isEqualTo("172.21.0.0/16");
        assertThatThrownBy(() -> subnets.reserve("172.17.128.0/17", "clash")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("overlaps subnet 172.17.0.0/16 of 'bridge'");
        assertThatThrownBy(() -> subnets.reserve("10.0.0.1/8", "hostbits")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("host bits");
        subnets.release(IpPrefix.parseSubnet("172.17.0.0/16"));
        assertThatThrownBy(() -> subnets.release(IpPrefix.parseSubnet("172.17.0.0/16"))).isInstanceOf(AddressNotAllocatedException.class);
        assertThat(subnets.subnetOf("n3")).contains(IpPrefix.parseSubnet("172.21.0.0/16"));
        assertThat(subnets.subnets()).hasSize(4);
    }

    // ---- concurrency ----

    @Test
    void eightThreadsOnOnePoolObjectNeverDuplicateNorLose() throws Exception {
        IpPool pool = IpPool.builder(store, "conc").subnet("10.64.0.0/16").create();
        int perThread = allocationsPerThread();
        List<InetAddress> all = race(8, perThread, t -> pool);
        assertNoDuplicatesNoneLost(all, IpPool.open(store, "conc"), 8 * perThread);
    }

    @Test
    void eightPoolObjectsRacingThroughCompareAndSetNeverDuplicate() throws Exception {
        IpPool.builder(store, "cas").subnet("10.65.0.0/16").create();
        int perThread = Math.max(20, allocationsPerThread() / 5);
        IpPool[] objects = new IpPool[8];
        for (int i = 0; i < 8; i++) {
            objects[i] = IpPool.open(store, "cas");
        }
        List<InetAddress> all = race(8, perThread, t -> objects[t]);
        assertNoDuplicatesNoneLost(all, IpPool.open(store, "cas"), 8 * perThread);
    }

    private interface PoolFor {
        IpPool of(int thread);
    }

    private static List<InetAddress> race(int threads, int perThread, PoolFor poolFor) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<InetAddress> got = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                fs.add(ex.submit(() -> {
                    start.await();
                    IpPool p = poolFor.of(thread);
                    for (int i = 0; i < perThread; i++) {
                        got.add(p.allocate("t" + thread + "-" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            ex.shutdownNow();
        }
        return new ArrayList<>(got);
    }

    static void assertNoDuplicatesNoneLost(List<InetAddress> returned, IpPool pool, int expected) {
        assertThat(returned).hasSize(expected);
        assertThat(new HashSet<>(returned)).as("no address handed out twice").hasSize(expected);
        List<Allocation> stored = pool.allocations();
        assertThat(stored).hasSize(expected);
        Set<InetAddress> storedAddresses = new HashSet<>();
        stored.forEach(a -> storedAddresses.add(a.address()));
        assertThat(storedAddresses).as("every returned address is stored").containsAll(returned);
    }
}
