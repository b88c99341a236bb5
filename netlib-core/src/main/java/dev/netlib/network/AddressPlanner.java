package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;

/**
 * Checks on addresses before anything is changed. The choices themselves are the IPAM's: subnets
 * from Docker's default pools ({@code SubnetAllocator}), addresses from each network's {@code IpPool}.
 */
final class AddressPlanner {
    static final IpPrefix DEFAULT_BRIDGE_SUBNET = IpPrefix.parseSubnet("172.17.0.0/16");

    private AddressPlanner() {}

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
