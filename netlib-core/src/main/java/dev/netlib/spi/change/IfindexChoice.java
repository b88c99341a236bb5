package dev.netlib.spi.change;

import dev.netlib.model.LinkAttributes;
import dev.netlib.model.VethSpec;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which link creations ask the kernel for ifindexes netlib chose, and the sequence it chooses
 * from. Both backends follow it: LinuxBackend sends the indexes (ifi_index, and the veth peer's in
 * VETH_INFO_PEER) so that the follow-up requests pipelined behind the create address exactly the
 * links it made; FakeKernel gives the links the same kind of indexes, because the kernel's answers
 * can depend on them. The case that makes it matter: default_operstate() (net/core/link_watch.c)
 * looks a carrier-less veth's iflink (its peer's ifindex) up with __dev_get_by_index() in the
 * veth's OWN namespace, so a veth whose peer is in another namespace is LOWERLAYERDOWN when some
 * unrelated carrier-less link here happens to hold the peer's number, DOWN otherwise.
 *
 * <p>Why so high: the kernel gives an index nobody asked for with a cyclic allocator that starts
 * at 1 in every namespace and moves up by one per new link (dev_index_reserve(): xa_alloc_cyclic
 * from net-&gt;ifindex). Asking for an index in the upper half of the 31-bit range keeps ours out
 * of the kernel's way for ~10^9 creations per namespace, so another creator's link (ip, Docker, a
 * container runtime) practically never takes an index we are about to ask for. The start is
 * random within a 2^28-wide window, so two netlib processes creating in one namespace overlap with
 * probability about (links each creates) / 2^27. That overlap is the residual race: when another
 * creator holds our chosen index, the create fails with EBUSY (register_netdevice()).
 */
public final class IfindexChoice {
    /** The lowest index netlib chooses: the upper half of the 31-bit ifindex range. */
    public static final int BASE = 1 << 30;
    /** Width of the window the process's first choice is drawn from. */
    public static final int WINDOW = 1 << 28;
    private static final Sequence PROCESS = new Sequence(BASE + randomStart());

    private IfindexChoice() {}

    /**
     * The process's offset in the window: the clock, scrambled with MurmurHash3's 64-bit finalizer
     * (the mix ThreadLocalRandom seeds itself with). Two processes read different nanoTimes, and
     * every bit of the clock reaches every bit of the offset. Not ThreadLocalRandom itself: its
     * first use in a JVM costs ~0.4 ms (its classes and seeding), paid in a program's first create.
     *
     * @return an offset in [0, {@link #WINDOW})
     */
    static int randomStart() {
        long z = System.nanoTime() ^ System.currentTimeMillis();
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return (int) (z & (WINDOW - 1));
    }

    /**
     * The next index for the real kernel; one sequence per process, shared by all namespaces, so
     * two creations of this process never ask for the same index.
     *
     * @return an ifindex in [{@link #BASE}, Integer.MAX_VALUE]
     */
    public static int next() {
        return PROCESS.next();
    }

    /**
     * A sequence of chosen indexes that wraps back into the upper half of the range before the
     * 31-bit limit. The process has one with a random start for the real kernel; FakeKernel keeps
     * its own from {@link #BASE}, so its indexes are the same in every run (its users' tests stay
     * reproducible) and as far from the kernel's own as LinuxBackend's.
     */
    public static final class Sequence {
        private final AtomicInteger next;

        /**
         * A sequence that starts at {@code start}.
         *
         * @param start the first index, in [{@link #BASE}, Integer.MAX_VALUE]
         */
        public Sequence(int start) {
            if (start < BASE) {
                throw new IllegalArgumentException("chosen ifindexes start at " + BASE + ", not " + start);
            }
            this.next = new AtomicInteger(start);
        }

        /**
         * The next index.
         *
         * @return an ifindex in [{@link #BASE}, Integer.MAX_VALUE]
         */
        public int next() {
            // a loop, not getAndUpdate with a lambda: this runs in a program's first creates, where
            // a lambda's first call costs ~1 ms (BENCHMARKS.md, "lambdas out of the cold path")
            while (true) {
                int i = next.get();
                if (next.compareAndSet(i, i == Integer.MAX_VALUE ? BASE : i + 1)) {
                    return i;
                }
            }
        }
    }

    /**
     * True when creating {@code c} asks for chosen indexes: when it takes follow-up requests (see
     * {@link #hasFollowUps}) or when it is a veth whose peer is born in another namespace (the
     * session of that namespace then knows the peer's index without a lookup).
     *
     * @param c the creation
     * @return whether the backend chooses the new links' ifindexes
     */
    public static boolean wanted(CreateLink c) {
        return hasFollowUps(c) || c.kind() instanceof VethSpec v && v.peer().netns() != null;
    }

    /**
     * True when creating {@code c} takes requests after the RTM_NEWLINK that creates it
     * (addrgenmode, bridge port flags, a same-namespace peer's state or master, the near end of a
     * {@link #peerIsMain swapped} pair): they address the new links by the indexes chosen at
     * creation, for the main device and, for a veth, its peer.
     *
     * @param c the creation
     * @return whether follow-up requests are needed
     */
    public static boolean hasFollowUps(CreateLink c) {
        LinkAttributes a = c.attributes();
        if (a.addrGenMode() != null || a.hasBridgePortFlags() && a.netns() == null) {
            return true;
        }
        if (c.kind() instanceof VethSpec v) {
            return peerIsMain(v) ? a.netns() == null && needsFollowUp(a) : v.peer().netns() == null && needsFollowUp(v.peer());
        }
        return false;
    }

    /**
     * True when a veth's peer, born in another namespace, must come up or join a master: it is then
     * created as the MAIN device of the request (with IFLA_NET_NS_FD), because the kernel applies
     * IFF_UP and IFLA_MASTER to that one, in its own namespace; our end becomes the VETH_INFO_PEER
     * and gets its up/master in a follow-up. The result is the same pair.
     *
     * @param v the veth's spec
     * @return whether the peer is the request's main device
     */
    public static boolean peerIsMain(VethSpec v) {
        return v.peer().netns() != null && (v.peer().up() != null || v.peer().master() != null);
    }

    /**
     * True when {@code p} sets something only a request after the creation can set.
     *
     * @param p one end's attributes
     * @return whether up, master or addrgenmode is set
     */
    public static boolean needsFollowUp(LinkAttributes p) {
        return p.up() != null || p.master() != null || p.addrGenMode() != null;
    }
}
