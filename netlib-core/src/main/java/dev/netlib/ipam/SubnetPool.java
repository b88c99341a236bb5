package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Address pools that subnets for new networks are carved from, like Docker's
 * {@code default-address-pools}: each base prefix is split into subnets of one size, tried in order.
 * Pure computation: which subnets are in use is the caller's (or {@link SubnetAllocator}'s) business.
 */
public final class SubnetPool {
    /** A base prefix split into subnets of prefix length {@code size}. */
    public record Base(IpPrefix base, int size) {
        public Base {
            Objects.requireNonNull(base, "base").requireSubnet();
            if (size < base.length() || size > base.bits()) {
                throw new InvalidConfigException("address pool " + base + ": subnet size /" + size + " must be between /" + base.length() + " and /" + base.bits());
            }
        }
    }

    private final List<Base> bases;

    private SubnetPool(List<Base> bases) {
        if (bases.isEmpty()) {
            throw new InvalidConfigException("a subnet pool needs at least one base prefix");
        }
        this.bases = List.copyOf(bases);
    }

    /** Pools made of these bases, tried in order. */
    public static SubnetPool of(List<Base> bases) {
        return new SubnetPool(bases);
    }

    /** One base prefix split into subnets of prefix length {@code size}, e.g. {@code of("10.10.0.0/16", 24)}. */
    public static SubnetPool of(String base, int size) {
        return new SubnetPool(List.of(new Base(IpPrefix.parseSubnet(base), size)));
    }

    /**
     * Docker's defaults: 172.17.0.0/16 up to 172.31.0.0/16 (one /16 each), then 192.168.0.0/16 in
     * /20 blocks: 31 subnets.
     */
    public static SubnetPool dockerDefaults() {
        List<Base> b = new ArrayList<>();
        for (int i = 17; i <= 31; i++) {
            b.add(new Base(IpPrefix.parseSubnet("172." + i + ".0.0/16"), 16));
        }
        b.add(new Base(IpPrefix.parseSubnet("192.168.0.0/16"), 20));
        return new SubnetPool(b);
    }

    /** The base ranges subnets are cut from, in the order they are tried. */
    public List<Base> bases() {
        return bases;
    }

    /** Every candidate subnet in order (for small pools; Docker's defaults have 31). */
    public List<IpPrefix> candidates(int max) {
        List<IpPrefix> out = new ArrayList<>();
        for (Base b : bases) {
            BigInteger count = BigInteger.ONE.shiftLeft(b.size() - b.base().length());
            BigInteger step = BigInteger.ONE.shiftLeft(b.base().bits() - b.size());
            for (BigInteger i = BigInteger.ZERO; i.compareTo(count) < 0 && out.size() < max; i = i.add(BigInteger.ONE)) {
                out.add(IpPrefix.of(b.base().nth(i.multiply(step)), b.size()));
            }
        }
        return out;
    }

    /** The first candidate subnet that overlaps none of {@code inUse}, if any. */
    public Optional<IpPrefix> next(Collection<IpPrefix> inUse) {
        for (Base b : bases) {
            BigInteger step = BigInteger.ONE.shiftLeft(b.base().bits() - b.size());
            BigInteger i = BigInteger.ZERO; // offset inside the base
            while (i.compareTo(b.base().size()) < 0) {
                IpPrefix cand = IpPrefix.of(b.base().nth(i), b.size());
                IpPrefix clash = null;
                for (IpPrefix used : inUse) {
                    if (used.isIpv4() == cand.isIpv4() && used.network().overlaps(cand)) {
                        clash = used.network();
                        break;
                    }
                }
                if (clash == null) {
                    return Optional.of(cand);
                }
                // Skip past the clash: every candidate before its end overlaps it too, or this one.
                BigInteger next = i.add(step);
                if (clash.length() < cand.length()) {
                    // Offset of the clash's end relative to the base (beyond the base if the clash contains it).
                    BigInteger clashEnd = IpAddresses.toBigInteger(clash.address()).add(clash.size())
                            .subtract(IpAddresses.toBigInteger(b.base().address()));
                    next = next.max(clashEnd);
                }
                i = next;
            }
        }
        return Optional.empty();
    }

    /**
     * The first free candidate subnet.
     *
     * @throws PoolExhaustedException if every candidate overlaps a subnet in use
     */
    public IpPrefix nextFree(Collection<IpPrefix> inUse) {
        return next(inUse).orElseThrow(() -> new PoolExhaustedException("no free subnet left in the address pools " + describe()
                + ": every candidate overlaps one of the " + inUse.size() + " subnets in use"));
    }

    /**
     * Checks that an explicitly requested subnet overlaps none of the existing networks' subnets.
     *
     * @param existing subnets by network name
     * @throws InvalidConfigException naming the network whose subnet it overlaps, or if host bits are set
     */
    public static void checkNoOverlap(IpPrefix requested, Map<String, IpPrefix> existing) {
        requested.requireSubnet();
        for (var e : existing.entrySet()) {
            if (e.getValue().isIpv4() == requested.isIpv4() && e.getValue().network().overlaps(requested)) {
                throw new InvalidConfigException("subnet " + requested + " overlaps subnet " + e.getValue().network() + " of '" + e.getKey() + "'");
            }
        }
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (Base b : bases) {
            sb.append(sb.length() == 0 ? "" : ", ").append(b.base()).append(" in /").append(b.size());
        }
        return sb.toString();
    }
}
