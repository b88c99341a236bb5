package dev.netlib.linux.fuzz;

import dev.netlib.model.MacvlanMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random sequences of {@link FuzzOp}s over small pools of names and addresses, so that
 * operations meet each other (the same link enslaved, moved, renamed, deleted) and both
 * successes and refusals are common.
 */
final class FuzzGenerator {
    static final List<String> NAMES = List.of("v0", "v1", "v2", "v3", "br0", "br1", "vx0", "mv0", "e0", "lo");
    static final List<String> V4 = List.of("10.0.0.1/24", "10.0.0.2/24", "10.0.1.1/16", "127.0.0.2/8", "192.168.5.5/32");
    static final List<String> V6 = List.of("fd00::1/64", "fd00::2/64", "fd01::1/128");
    static final List<String> DESTS = List.of("10.9.0.0/16", "default", "192.168.7.0/24", "fd09::/64");
    static final List<String> GATEWAYS = List.of("10.0.0.254", "10.0.1.9", "fd00::fe");
    static final List<Integer> MTUS = List.of(68, 576, 1000, 1279, 1280, 1400, 1500, 9000, 65535, 70000);
    static final Set<String> MACS = Set.of("02:00:00:00:00:07", "02:00:00:00:00:0a", "00:00:00:00:00:00");
    static final List<String> SYSCTLS = List.of("net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.NAME.forwarding",
            "net.ipv6.conf.NAME.disable_ipv6");

    private final Random random;
    /**
     * The MACs of the devices the fuzzer creates, from a stream of their own, so the operations
     * a seed gives stayed what they were before devices had them. Every device that can be a
     * bridge port gets one: a bridge takes the lowest MAC of its ports, and with the kernel's
     * random MACs on both sides whether enslaving changed it (NETDEV_CHANGEADDR, which flushes
     * the bridge's neighbours) was chance (seed 46). 02:dd: keeps them apart from {@link #MACS}.
     */
    private final Random macs;
    /**
     * The VNI of FDB operations (none, a vxlan's own 42, or 200), from a stream of their own for the
     * same reason: the operations a seed gives stayed what they were before FDB operations had one.
     */
    private final Random vnis;

    /** Whether sequences make and kill namespaces C and D besides working in A and B. */
    private final boolean namespaces;
    /** The generator's view of slots C and D (what the namespace operations made of them, none failing). */
    private boolean cNamed;
    private boolean cHeld;
    private boolean dAlive;

    /** Sequences in A and B only: what every seed gave before namespaces came and went. */
    FuzzGenerator(long seed) {
        this(seed, false);
    }

    /**
     * Sequences that, with {@code namespaces}, also add and delete a named namespace C (held open
     * by a second handle at times, which keeps it alive past its delete) and make and release an
     * anonymous one D, and work in them while they live: veths with peers there, moves there.
     */
    FuzzGenerator(long seed, boolean namespaces) {
        this.random = new Random(seed);
        this.macs = new Random(~seed);
        this.namespaces = namespaces;
        this.vnis = new Random(seed * 31 + 17);
    }

    private Integer vni() {
        int pick = vnis.nextInt(3);
        return pick == 0 ? null : pick == 1 ? Integer.valueOf(42) : Integer.valueOf(200);
    }

    private String mac() {
        return String.format("02:dd:%02x:%02x:%02x:%02x", macs.nextInt(256), macs.nextInt(256), macs.nextInt(256), macs.nextInt(256));
    }

    List<FuzzOp> sequence(int length) {
        List<FuzzOp> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            out.add(next());
        }
        return out;
    }

    private FuzzOp next() {
        if (!namespaces) {
            int ns = random.nextInt(10) < 8 ? 0 : 1; // mostly A, so links meet
            return next(ns, 1 - ns);
        }
        if (random.nextInt(12) == 0) {
            return namespaceOp();
        }
        List<Integer> alive = alive();
        // mostly A, so links meet; the others about equally
        int ns = random.nextInt(2) == 0 ? Side.A : pick(alive);
        List<Integer> others = new ArrayList<>(alive);
        others.remove(Integer.valueOf(ns));
        int other = pick(others);
        if (random.nextInt(5) == 0) {
            return crossing(ns, other);
        }
        return next(ns, other);
    }

    /**
     * An operation that ties two namespaces together, so that a death has something to take
     * along in the survivors: a veth with its peer over there, a link (a vxlan or macvlan made
     * here, a veth end, a lower device) moved there.
     */
    private FuzzOp crossing(int ns, int other) {
        if (random.nextBoolean()) {
            return new FuzzOp.Veth(ns, pick(List.of("v0", "v1", "v2")), pick(List.of("v1", "v2", "v3", "e0")), other, bool(), bool(),
                    random.nextInt(4) == 0 ? pick(List.of("br0", "br1")) : null, mac(), mac());
        }
        return new FuzzOp.Move(ns, pick(List.of("v0", "v1", "v2", "v3", "e0", "vx0", "mv0")), other);
    }

    /** The slots whose namespace lives, in the generator's view. */
    private List<Integer> alive() {
        List<Integer> alive = new ArrayList<>(List.of(Side.A, Side.B));
        if (cNamed || cHeld) {
            alive.add(Side.C);
        }
        if (dAlive) {
            alive.add(Side.D);
        }
        return alive;
    }

    /** One namespace operation that fits the slots' state: C added, deleted, held or let go; D made or released. */
    private FuzzOp namespaceOp() {
        List<FuzzOp> choices = new ArrayList<>();
        if (!cNamed && !cHeld) {
            choices.add(new FuzzOp.NetnsAdd(Side.C, false));
        }
        if (cNamed) {
            choices.add(new FuzzOp.NetnsDel(Side.C));
            if (!cHeld) {
                choices.add(new FuzzOp.NetnsHold(Side.C, true));
            }
        }
        if (cHeld) {
            choices.add(new FuzzOp.NetnsHold(Side.C, false));
        }
        choices.add(dAlive ? new FuzzOp.NetnsDel(Side.D) : new FuzzOp.NetnsAdd(Side.D, random.nextBoolean()));
        FuzzOp op = pick(choices);
        if (op instanceof FuzzOp.NetnsAdd a) {
            cNamed |= a.ns() == Side.C;
            dAlive |= a.ns() == Side.D;
        } else if (op instanceof FuzzOp.NetnsDel d) {
            cNamed &= d.ns() != Side.C;
            dAlive &= d.ns() != Side.D;
        } else {
            cHeld = ((FuzzOp.NetnsHold) op).hold();
        }
        return op;
    }

    private FuzzOp next(int ns, int other) {
        switch (random.nextInt(20)) {
            case 0, 1, 2:
                return new FuzzOp.Veth(ns, pick(List.of("v0", "v1", "v2")), pick(List.of("v1", "v2", "v3", "e0")),
                        random.nextInt(4) == 0 ? other : ns, bool(), random.nextInt(3) == 0, random.nextInt(5) == 0 ? pick(List.of("br0", "br1")) : null,
                        mac(), mac());
            case 3:
                return new FuzzOp.Bridge(ns, pick(List.of("br0", "br1")), bool());
            case 4:
                return new FuzzOp.Vxlan(ns, "vx0", pick(List.of(42, 43)), pick(List.of(4789, 8472)),
                        random.nextBoolean() ? null : pick(List.of("v0", "br0", "lo")), bool(), mac());
            case 5:
                return new FuzzOp.Macvlan(ns, "mv0", pick(List.of("v0", "v1", "br0", "vx0")),
                        random.nextBoolean() ? null : pick(List.of(MacvlanMode.BRIDGE, MacvlanMode.PRIVATE)), bool(), mac());
            case 6, 7:
                return new FuzzOp.SetUp(ns, name(), random.nextInt(3) > 0);
            case 8:
                return new FuzzOp.Mtu(ns, name(), pick(MTUS));
            case 9:
                return new FuzzOp.Master(ns, name(), random.nextInt(4) == 0 ? null : pick(List.of("br0", "br1", "vx0", "v0")));
            case 10:
                return new FuzzOp.Rename(ns, name(), name());
            case 11:
                return new FuzzOp.Move(ns, name(), other);
            case 12:
                return new FuzzOp.Delete(ns, name());
            case 13, 14:
                return new FuzzOp.Address(ns, name(), random.nextInt(3) == 0 ? pick(V6) : pick(V4), random.nextInt(4) > 0);
            case 15, 16:
                return new FuzzOp.Route(ns, pick(DESTS), random.nextBoolean() ? pick(GATEWAYS) : null,
                        random.nextBoolean() ? name() : null, random.nextInt(4) > 0);
            case 17:
                return new FuzzOp.Neighbor(ns, name(), pick(List.of("10.0.0.7", "fd00::7")), "02:00:00:00:00:07", random.nextInt(3) > 0);
            case 18:
                return new FuzzOp.Fdb(ns, pick(List.of("v0", "v1", "vx0", "br0")), pick(List.of("02:00:00:00:00:0a", "00:00:00:00:00:00")),
                        random.nextBoolean() ? "10.0.0.9" : null, vni(), random.nextBoolean(), random.nextInt(3) > 0);
            default:
                return new FuzzOp.Sysctl(ns, pick(SYSCTLS).replace("NAME", name()), random.nextBoolean() ? "1" : "0");
        }
    }

    private String name() {
        return pick(NAMES);
    }

    private boolean bool() {
        return random.nextBoolean();
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
