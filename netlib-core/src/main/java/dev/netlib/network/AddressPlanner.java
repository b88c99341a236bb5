package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Docker's address choices: subnets from the default pools (172.17.0.0/16 for the default network,
 * then 172.18.0.0/16 ... 172.31.0.0/16, then 192.168.0.0/20, 192.168.16.0/20 ... 192.168.240.0/20),
 * skipping any that overlaps a subnet in use or an address of the host; the gateway is the first
 * host address; containers get the lowest free address after it.
 */
final class AddressPlanner {
    static final IpPrefix DEFAULT_BRIDGE_SUBNET = IpPrefix.parseSubnet("172.17.0.0/16");

    private AddressPlanner() {}

    /** The default pools in Docker's order, without the default network's own 172.17.0.0/16. */
    static List<IpPrefix> defaultPools() {
        List<IpPrefix> pools = new ArrayList<>();
        for (int i = 18; i <= 31; i++) {
            pools.add(IpPrefix.parseSubnet("172." + i + ".0.0/16"));
        }
        for (int i = 0; i < 256; i += 16) {
            pools.add(IpPrefix.parseSubnet("192.168." + i + ".0/20"));
        }
        return pools;
    }

    static IpPrefix nextSubnet(Collection<IpPrefix> taken) {
        for (IpPrefix p : defaultPools()) {
            if (taken.stream().noneMatch(t -> t.overlaps(p))) {
                return p;
            }
        }
        throw new InvalidConfigException("all predefined address pools have been fully subnetted (172.18-31.0.0/16, 192.168.0.0/16 in /20s); "
                + "give the network a subnet");
    }

    /** The lowest free host address of {@code subnet}, not the gateway, not taken. */
    static InetAddress nextAddress(String network, IpPrefix subnet, InetAddress gateway, Set<InetAddress> taken) {
        BigInteger first = subnet.indexOf(subnet.firstUsable());
        BigInteger last = subnet.indexOf(subnet.lastUsable());
        for (BigInteger i = first; i.compareTo(last) <= 0; i = i.add(BigInteger.ONE)) {
            InetAddress a = subnet.nth(i);
            if (!a.equals(gateway) && !taken.contains(a)) {
                return a;
            }
        }
        throw new InvalidConfigException("no available IPv4 addresses on network " + network + " (" + subnet + ")");
    }

    /** Checks a user's static address: inside the subnet, a host address, not the gateway. */
    static void checkStatic(String network, IpPrefix subnet, InetAddress gateway, InetAddress address) {
        if (!subnet.contains(address)) {
            throw new InvalidConfigException("address " + IpAddresses.format(address) + " is outside network " + network
                    + "'s subnet " + subnet);
        }
        BigInteger i = subnet.indexOf(address);
        if (i.compareTo(subnet.indexOf(subnet.firstUsable())) < 0 || i.compareTo(subnet.indexOf(subnet.lastUsable())) > 0) {
            throw new InvalidConfigException("address " + IpAddresses.format(address) + " is the network or broadcast address of "
                    + subnet + "; choose a host address");
        }
        if (address.equals(gateway)) {
            throw new InvalidConfigException("address " + IpAddresses.format(address) + " is the gateway of network " + network);
        }
    }
}
