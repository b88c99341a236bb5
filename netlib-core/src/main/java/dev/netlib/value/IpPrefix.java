package dev.netlib.value;

import dev.netlib.error.InvalidConfigException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. {@code 172.20.18.5/24}.
 *
 * <p>The same type serves as an interface address (host bits may be set: {@link #parse}) and as a
 * subnet (host bits must be zero: {@link #parseSubnet}). Equality is by address and length, so
 * {@code 10.0.0.5/24} and {@code 10.0.0.0/24} differ; {@link #network()} maps the former to the
 * latter.
 */
public final class IpPrefix implements Comparable<IpPrefix> {
    private final InetAddress address;
    private final int length;

    private IpPrefix(InetAddress address, int length) {
        this.address = address;
        this.length = length;
    }

    /** An address with a prefix length; host bits may be set (an interface address). */
    public static IpPrefix of(InetAddress address, int length) {
        Objects.requireNonNull(address, "address");
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new InvalidConfigException("prefix length " + length + " is out of range for "
                    + IpAddresses.format(address) + ": allowed 0.." + max);
        }
        return new IpPrefix(address, length);
    }

    /**
     * Parses {@code ADDRESS/LEN} where host bits may be set, as for an interface address. A bare
     * address without {@code /LEN} is a host prefix (/32 or /128).
     */
    public static IpPrefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigException("IP prefix is empty; expected ADDRESS/LENGTH like 172.20.18.5/24 or fd00::5/64");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        InetAddress addr = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash));
        int max = addr.getAddress().length * 8;
        if (slash < 0) {
            return new IpPrefix(addr, max);
        }
        String lenText = s.substring(slash + 1);
        if (lenText.isEmpty() || lenText.length() > 3 || !IpAddresses.isDecimal(lenText)) {
            throw new InvalidConfigException("'" + text + "' has no valid prefix length after '/'; allowed 0.." + max);
        }
        return of(addr, Integer.parseInt(lenText));
    }

    /** Parses a subnet: like {@link #parse} but host bits must be zero ({@code 172.20.18.0/24}). */
    public static IpPrefix parseSubnet(String text) {
        IpPrefix p = parse(text);
        return p.requireSubnet();
    }

    /** Returns this prefix if its host bits are zero; otherwise a clear error naming the subnet meant. */
    public IpPrefix requireSubnet() {
        if (!isSubnet()) {
            throw new InvalidConfigException("'" + this + "' is an interface address, not a subnet: its host bits are set; "
                    + "did you mean " + network() + "?");
        }
        return this;
    }

    /** The address part (as given: not masked to the network). */
    public InetAddress address() {
        return address;
    }

    /** The prefix length. */
    public int length() {
        return length;
    }

    /** True for an IPv4 prefix. */
    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    /** True for an IPv6 prefix. */
    public boolean isIpv6() {
        return !isIpv4();
    }

    /** Address width in bits: 32 or 128. */
    public int bits() {
        return address.getAddress().length * 8;
    }

    /** True if the host bits are all zero. */
    public boolean isSubnet() {
        return IpAddresses.toBigInteger(address).equals(networkValue());
    }

    /** The subnet this address lies in ({@code 10.0.0.5/24} gives {@code 10.0.0.0/24}). */
    public IpPrefix network() {
        return new IpPrefix(IpAddresses.fromBigInteger(networkValue(), isIpv6()), length);
    }

    /** The number of addresses the prefix spans (2^(bits-length)). */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - length);
    }

    /** True if {@code other} lies inside this prefix (same family). */
    public boolean contains(InetAddress other) {
        if (other.getAddress().length != address.getAddress().length) {
            return false;
        }
        return IpAddresses.toBigInteger(other).and(mask()).equals(networkValue());
    }

    /** True if every address of {@code other} lies inside this prefix. */
    public boolean contains(IpPrefix other) {
        return other.length >= length && contains(other.address);
    }

    /** True if the two prefixes share at least one address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other.address) || other.contains(address);
    }

    /**
     * The n-th address of the prefix counting from the network address (n = 0). The first host of
     * {@code 172.17.0.0/16} is {@code nth(1)} = 172.17.0.1.
     */
    public InetAddress nth(BigInteger n) {
        if (n.signum() < 0 || n.compareTo(size()) >= 0) {
            throw new InvalidConfigException("address index " + n + " is outside " + network() + " (allowed 0.." + size().subtract(BigInteger.ONE) + ")");
        }
        return IpAddresses.fromBigInteger(networkValue().add(n), isIpv6());
    }

    /** The {@code n}th address of the prefix, counting from its network address (0). */
    public InetAddress nth(long n) {
        return nth(BigInteger.valueOf(n));
    }

    /** The index of {@code member} inside this prefix (inverse of {@link #nth}). */
    public BigInteger indexOf(InetAddress member) {
        if (!contains(member)) {
            throw new InvalidConfigException(IpAddresses.format(member) + " is outside " + network());
        }
        return IpAddresses.toBigInteger(member).subtract(networkValue());
    }

    /**
     * The first address usable by a host: for IPv4 prefixes shorter than /31 the network address is
     * skipped; /31 and /32 (RFC 3021) and all IPv6 prefixes start at the network address... except
     * that IPv6's subnet-router anycast (index 0) is skipped too for prefixes shorter than /127.
     */
    public InetAddress firstUsable() {
        boolean skipNetwork = isIpv4() ? length < 31 : length < 127;
        return nth(skipNetwork ? BigInteger.ONE : BigInteger.ZERO);
    }

    /** The last usable address: the IPv4 broadcast is skipped for prefixes shorter than /31. */
    public InetAddress lastUsable() {
        boolean skipBroadcast = isIpv4() && length < 31;
        BigInteger last = size().subtract(BigInteger.ONE);
        return nth(skipBroadcast ? last.subtract(BigInteger.ONE) : last);
    }

    /** The IPv4 broadcast address (the last address of the prefix). */
    public InetAddress broadcast() {
        return nth(size().subtract(BigInteger.ONE));
    }

    /** The netmask as an address ({@code 255.255.255.0} for /24). */
    public InetAddress netmask() {
        return IpAddresses.fromBigInteger(mask(), isIpv6());
    }

    private BigInteger mask() {
        BigInteger all = BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE);
        BigInteger host = BigInteger.ONE.shiftLeft(bits() - length).subtract(BigInteger.ONE);
        return all.xor(host);
    }

    private BigInteger networkValue() {
        return IpAddresses.toBigInteger(address).and(mask());
    }

    @Override
    public int compareTo(IpPrefix o) {
        int c = Integer.compare(bits(), o.bits());
        if (c != 0) {
            return c;
        }
        c = IpAddresses.toBigInteger(address).compareTo(IpAddresses.toBigInteger(o.address));
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && p.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + length;
    }

    /** Canonical form: {@code 172.20.18.0/24}, {@code fd00::/64}. */
    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + length;
    }
}
