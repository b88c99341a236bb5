package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The fixed settings of a pool, validated, with the derived allocation bounds. Addresses are handled
 * as offsets from the subnet's network address (BigInteger, so a /64 costs nothing more than a /24).
 */
record PoolConfig(String name, IpPrefix subnet, IpPrefix range, InetAddress gateway, Map<String, InetAddress> aux) {

    PoolConfig {
        Names.checkPoolName(name);
        Objects.requireNonNull(subnet, "subnet");
        subnet.requireSubnet();
        if (range != null) {
            range.requireSubnet();
            if (range.isIpv4() != subnet.isIpv4() || !subnet.contains(range)) {
                throw new InvalidConfigException("pool '" + name + "': IP range " + range + " is outside subnet " + subnet);
            }
        }
        if (gateway != null) {
            checkHostAddress(name, subnet, "gateway", gateway);
        }
        aux = Collections.unmodifiableMap(new LinkedHashMap<>(aux));
        for (var e : aux.entrySet()) {
            Names.checkTag("aux-address name", e.getKey());
            checkHostAddress(name, subnet, "aux-address " + e.getKey(), e.getValue());
            if (e.getValue().equals(gateway)) {
                throw new InvalidConfigException("pool '" + name + "': aux-address " + e.getKey() + "=" + IpAddresses.format(e.getValue())
                        + " is the gateway address");
            }
        }
    }

    private static void checkHostAddress(String name, IpPrefix subnet, String what, InetAddress a) {
        if (!subnet.contains(a)) {
            throw new InvalidConfigException("pool '" + name + "': " + what + " " + IpAddresses.format(a) + " is outside subnet " + subnet);
        }
        BigInteger off = subnet.indexOf(a);
        if (off.compareTo(firstUsable(subnet)) < 0 || off.compareTo(lastUsable(subnet)) > 0) {
            throw new InvalidConfigException("pool '" + name + "': " + what + " " + IpAddresses.format(a) + " is the "
                    + (off.signum() == 0 ? "network" : "broadcast") + " address of subnet " + subnet + ", not a host address");
        }
    }

    /** Docker's default: the first host address of the subnet, if the subnet has room for more than a point-to-point pair. */
    static InetAddress defaultGateway(IpPrefix subnet) {
        int hostBits = subnet.bits() - subnet.length();
        return hostBits >= 2 ? subnet.firstUsable() : null;
    }

    static BigInteger firstUsable(IpPrefix subnet) {
        return subnet.indexOf(subnet.firstUsable());
    }

    static BigInteger lastUsable(IpPrefix subnet) {
        return subnet.indexOf(subnet.lastUsable());
    }

    /** Lowest offset handed out by sequential allocation. */
    BigInteger lo() {
        BigInteger first = firstUsable(subnet);
        if (range == null) {
            return first;
        }
        return subnet.indexOf(range.network().address()).max(first);
    }

    /** Highest offset handed out by sequential allocation. */
    BigInteger hi() {
        BigInteger last = lastUsable(subnet);
        if (range == null) {
            return last;
        }
        return subnet.indexOf(range.network().address()).add(range.size()).subtract(BigInteger.ONE).min(last);
    }

    /** Offsets never handed out: the gateway and the aux addresses. */
    TreeSet<BigInteger> reserved() {
        TreeSet<BigInteger> r = new TreeSet<>();
        if (gateway != null) {
            r.add(subnet.indexOf(gateway));
        }
        for (InetAddress a : aux.values()) {
            r.add(subnet.indexOf(a));
        }
        return r;
    }

    /** The number of addresses sequential allocation can hand out: the range minus reserved addresses in it. */
    BigInteger size() {
        BigInteger lo = lo();
        BigInteger hi = hi();
        if (hi.compareTo(lo) < 0) {
            return BigInteger.ZERO;
        }
        long reservedInRange = reserved().stream().filter(o -> o.compareTo(lo) >= 0 && o.compareTo(hi) <= 0).count();
        return hi.subtract(lo).add(BigInteger.ONE).subtract(BigInteger.valueOf(reservedInRange));
    }

    /** Why the address at {@code off} can never be allocated, or null if it can. */
    String unusableReason(BigInteger off) {
        if (off.compareTo(firstUsable(subnet)) < 0) {
            return "the network address of subnet " + subnet;
        }
        if (off.compareTo(lastUsable(subnet)) > 0) {
            return "the broadcast address of subnet " + subnet;
        }
        if (gateway != null && off.equals(subnet.indexOf(gateway))) {
            return "the gateway of pool '" + name + "'";
        }
        for (var e : aux.entrySet()) {
            if (off.equals(subnet.indexOf(e.getValue()))) {
                return "reserved as aux-address '" + e.getKey() + "' of pool '" + name + "'";
            }
        }
        return null;
    }

    String describe() {
        return "'" + name + "' (" + subnet + (range != null ? " range " + range : "") + ")";
    }
}
