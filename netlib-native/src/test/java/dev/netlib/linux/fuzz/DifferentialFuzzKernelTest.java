package dev.netlib.linux.fuzz;

import dev.netlib.Netlib;
import dev.netlib.linux.testing.ThrowawayNetns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer as a test: FakeKernel against the real kernel, operation by operation.
 * CI runs the fixed {@link #CI_SEEDS} and {@link #CI_NETNS_SEEDS} (about a minute on a quiet
 * machine, ~2 s per seed); any
 * other seed runs on demand:
 * {@code mvn -pl netlib-native -am verify -Dtest=DifferentialFuzzKernelTest -Dnetlib.fuzz.seeds=123,456 -Dnetlib.fuzz.ops=300}
 * (ranges too: {@code -Dnetlib.fuzz.seeds=2001-2250}).
 * A divergence fails the test with the shrunk sequence as shell commands; with
 * {@code -Dnetlib.fuzz.keepGoing=true} a batch runs on and reports every diverging seed, and
 * {@code -Dnetlib.fuzz.trace=true} prints every operation and its outcome.
 *
 * <p>The CI seeds are 1 to 9 and, as regressions, the seeds of 10 to 80 that found a divergence
 * since fixed: 11 (a macvlan enslaved to its own lower bridge: EBUSY),
 * 18 (an IPv4 neighbour on lo is filed as 0.0.0.0; deleting an IPv6 address of a device that lost
 * IPv6: ENXIO), 19 (a self FDB entry on a bridge lives in the bridge's table; a bridge whose id
 * changes recomputes its operstate), 21 (append of a known FDB entry is no error; lo below MTU
 * 1280 gets no ::1), 25 and 36 (gateways in local routes, one trie with the main table), 31 (a
 * down bridge has no live port; FDB on lo is EINVAL), 32 (a macvlan port's MTU reaches its
 * bridge; a macvlan's operstate is computed at creation, not when opened), 34 (LinuxBackend undoes
 * a create whose follow-up failed), 48 (a bridge's MTU restored before linkwatch sees its carrier
 * go brings a link-local address), 49 (enslaving a device with MAC 0: EINVAL), 50 (a refused change
 * of master still releases the old one), 53 (vxlan MTU not below 68), 59 (a vxlan goes when its
 * device moves away), 64 (NDA_DST is ignored deleting a non-vxlan FDB entry), 71 (a vxlan's FDB
 * moves with it), 72 (a vxlan is its device's upper: EBUSY loops), 77 (LinuxBackend re-resolves a
 * stale ifindex on ESRCH). Seed 46 diverged by chance: a bridge takes the lowest MAC of its
 * ports, and whether enslaving changed it decided whether its neighbours were flushed
 * (NETDEV_CHANGEADDR); the fuzzer now gives every veth, vxlan and macvlan it makes a MAC from the seed. Seeds 81 to
 * 200 found: 88 (a bridge given the MTU it already has, or made with one, still follows its ports:
 * dev_set_mtu() skips br_change_mtu()), 89 (an IPv6 route through a device with IPv6 disabled is
 * EACCES before ENETDOWN), 91 (a non-passthru macvlan takes no unicast FDB entry: EOPNOTSUPP), 92
 * (LinuxBackend re-resolves a stale ifindex on EEXIST too), 94 and 190 (a macvlan hears of its
 * lower's carrier only through NETDEV_UP/DOWN/CHANGE, and linkwatch sends NETDEV_CHANGE only for a
 * device that is up: a never-opened bridge that drops its carrier for its first port leaves its
 * macvlans UP); seeds 201 to 400: 251 (linkwatch computes a link's operstate before its macvlans
 * hear of its carrier), 272 (LinuxBackend re-resolves cached indexes after any failure: a stale one
 * gave ENETUNREACH), 311 (a device's last IPv4 address takes its ARP entries along), 358 (lo coming
 * up below MTU 1280 drops the IPv6 addresses it was given while down). All of 1 to 400 pass. Seeds
 * 401 to 1950: 607 (setting the MTU a link has is not validated), 829 (lo coming up below MTU 1280
 * flushes its IPv6 neighbours). Seeds 1951 to 3700: 2403 (a bridge keeps its MTU when its smallest
 * port's is above the bridge's max_mtu: br_mtu_auto_adjust() ignores dev_set_mtu()'s refusal),
 * 2959 and 3065 (LinuxBackend addressed a link gone with another namespace's delete by its old
 * index, which a new link there had taken: every session now forgets its known indexes after a
 * delete or a move), 3020 (a device that joins a bridge loses its own unicast entries for the
 * bridge's static MACs: br_fdb_unsync_static()); all others pass except 2283, which diverges in about one run of four, with the old comparison
 * too: at step 144 a portless, carrier-less bridge (br1, up, MAC 0, its inet6_dev made afresh when
 * its last port took it back to MTU 1500, not ready) gets a link-local address from its new port's
 * MAC in {@code veth v2 peer v3 master br1 up}, and stays DOWN. The kernel decides it inside that
 * one operation, whose requests LinuxBackend pipelines in one send, and decides it differently from
 * run to run of the same sequence (kernel work that runs between those requests or not; which work
 * was not pinned down). FakeKernel gives the answer of the usual run (no address), and 2283 stays
 * out of CI.
 *
 * <p>FDB operations carry a VNI (none, 42 or 200) from a stream of their own, so every seed's
 * other operations are what they were before; with it seed 64 found the fake reporting a VNI equal
 * to the device's (vxlan_fdb_info() leaves NDA_VNI out then) and the fake's VNI-blind delete, both
 * fixed; seeds 1 to 150 pass.
 *
 * <p>Seeds 3701 to 4300: 3953 and 4047 (a macvlan loses its carrier within its lower's close,
 * NETDEV_DOWN, before linkwatch computes any operstate: a veth whose iflink is that macvlan's number
 * in its namespace is LOWERLAYERDOWN; only linkwatch's own NETDEV_CHANGE reaches the macvlans after
 * the lower's operstate, seed 251). Seeds 4301 to 5800: 4984 (a bridge hears of a port's carrier
 * only from linkwatch's NETDEV_CHANGE, after the port's operstate is computed: a veth port whose
 * iflink is its bridge's number is DOWN, not LOWERLAYERDOWN); all others pass except 4623 and
 * 5601, which diverged once each as 2283 does (an up, portless bridge gets a link-local address
 * on Linux in {@code veth v2 peer e0 master br0} with {@code e0 up}, at step 154 and 196; their
 * shrunk sequences did not diverge again) and passed when run again, so stay out of CI. These
 * batches ran before FDB operations carried a VNI; 5801 to 6200 pass with it.
 *
 * <p>{@link #CI_NETNS_SEEDS} run with namespaces coming and going ({@code -Dnetlib.fuzz.netns=true}
 * for other seeds): a named C added, deleted, and held open by a second handle past its delete, an
 * anonymous D made and released, veths with peers in them, links moved in and out, work on the
 * survivors after a death; the real side waits for cleanup_net (see {@code DeathWatch}). Designing
 * it found that LinuxBackend forgot its known indexes only when an anonymous namespace's handle was
 * released, not a second handle on a deleted named one, whose close kills it just the same
 * (KnownIndexesKernelTest), and that a dying namespace takes along the vxlans made from it wherever
 * they live (vxlan_exit_rtnl; FakeKernelFuzzFindingsTest), which seed 66 finds ({@code ip netns add D;
 * ip -n D link add vx0 type vxlan id 43 dstport 4789; ip -n D link set vx0 netns B; ip netns del D}
 * leaves B without vx0). The CI seeds are 1 and 3 and, as that regression, 66. Seeds 1 to 1000
 * pass (before FDB operations carried a VNI), and 1001 to 1500 with it.
 *
 * <p>Seeds 4, 7 and 9 needed the veth operstate quirk to be reproducible: default_operstate() looks
 * a carrier-less veth's peer ifindex up in the veth's own namespace, so FakeKernel gives the
 * creates for which LinuxBackend chooses indexes ({@link dev.netlib.spi.change.IfindexChoice})
 * indexes from the same range, and the fuzzer syncs linkwatch after every operation (see
 * {@code DifferentialFuzzer}).
 */
class DifferentialFuzzKernelTest {
    static final long[] CI_SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 18, 19, 21, 25, 31, 32, 34, 36, 46, 48, 49, 50, 53, 59, 64, 71, 72, 77,
        88, 89, 91, 92, 94, 190, 251, 272, 311, 358, 607, 829, 2403, 2959, 3020, 3953, 4047, 4984};
    /**
     * Seeds CI runs with namespaces coming and going ({@code FuzzGenerator(seed, true)};
     * {@code -Dnetlib.fuzz.netns=true} runs the given seeds that way).
     */
    static final long[] CI_NETNS_SEEDS = {1, 3, 66};
    static final int DEFAULT_OPS = 200;

    @Test
    void fakeKernelFollowsTheRealKernel() {
        ThrowawayNetns.assumeLinuxRoot();
        String property = System.getProperty("netlib.fuzz.seeds");
        boolean given = property != null && !property.isBlank();
        long[] seeds = given ? parse(property) : CI_SEEDS;
        long[] netnsSeeds = given ? new long[0] : CI_NETNS_SEEDS;
        boolean netns = given && Boolean.getBoolean("netlib.fuzz.netns");
        int length = Integer.getInteger("netlib.fuzz.ops", DEFAULT_OPS);
        // -Dnetlib.fuzz.keepGoing=true: a batch of new seeds reports every divergence, not the first only
        boolean keepGoing = Boolean.getBoolean("netlib.fuzz.keepGoing");
        List<String> failures = new ArrayList<>();
        try (Netlib linux = Netlib.open()) {
            DifferentialFuzzer fuzzer = new DifferentialFuzzer(linux);
            for (int i = 0; i < seeds.length + netnsSeeds.length; i++) {
                boolean withNamespaces = netns || i >= seeds.length;
                long seed = i < seeds.length ? seeds[i] : netnsSeeds[i - seeds.length];
                String failure = divergence(fuzzer, seed, withNamespaces, length);
                if (failure != null) {
                    if (!keepGoing) {
                        throw new AssertionError(failure);
                    }
                    System.err.println(failure);
                    failures.add(failure);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + (seeds.length + netnsSeeds.length) + " seeds diverge:\n"
                    + String.join("\n", failures));
        }
    }

    /** The shrunk divergence of one seed as a report, or null when FakeKernel followed the kernel all along. */
    private static String divergence(DifferentialFuzzer fuzzer, long seed, boolean withNamespaces, int length) {
        List<FuzzOp> ops = new FuzzGenerator(seed, withNamespaces).sequence(length);
        DifferentialFuzzer.Divergence d = fuzzer.run(ops);
        if (d == null) {
            return null;
        }
        List<FuzzOp> minimal = fuzzer.shrink(ops, d);
        DifferentialFuzzer.Divergence again = fuzzer.run(minimal);
        return "seed " + seed + (withNamespaces ? " (namespaces)" : "") + ": FakeKernel and Linux diverge; shrunk from " + (d.step() + 1)
                + " to " + minimal.size() + " operations:\n" + DifferentialFuzzer.script(minimal)
                + (again != null ? again : d + "\n(the shrunk sequence did not diverge again; the original:)\n"
                        + DifferentialFuzzer.script(ops.subList(0, d.step() + 1)));
    }

    /** {@code 7,12,40} or ranges, both ends included: {@code 2001-2250,3000}. */
    static long[] parse(String seeds) {
        return Arrays.stream(seeds.split(",")).map(String::trim).flatMapToLong(s -> {
            int dash = s.indexOf('-', 1);
            return dash < 0 ? LongStream.of(Long.parseLong(s))
                    : LongStream.rangeClosed(Long.parseLong(s.substring(0, dash)), Long.parseLong(s.substring(dash + 1)));
        }).toArray();
    }
}
