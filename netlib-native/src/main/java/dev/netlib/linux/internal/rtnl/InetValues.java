package dev.netlib.linux.internal.rtnl;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.Attribute;
import dev.netlib.model.RouteScope;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;

/**
 * Address families and address bytes shared by the address, route, neighbour and FDB codecs:
 * kernel bytes turn into values with malformed-message errors naming the attribute, never a
 * configuration error.
 */
final class InetValues {
    private InetValues() {}

    /** AF_INET or AF_INET6 for an address (IPv4-mapped IPv6 stays IPv6, as the kernel sees it). */
    static int family(InetAddress a) {
        return a.getAddress().length == 16 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET;
    }

    static int family(IpPrefix p) {
        return family(p.address());
    }

    /** Bytes of an address of family {@code family} (4 or 16). */
    static int addressLength(int family) {
        return family == LinuxConstants.AF_INET6 ? 16 : 4;
    }

    /** The address in {@code a}, which must hold exactly the length of {@code family}. */
    static InetAddress address(Attribute a, int family) {
        byte[] b = a.bytes();
        if (b.length != addressLength(family)) {
            throw new MalformedMessageException(a.path() + ": " + b.length + " bytes for an address of family "
                    + family + " (want " + addressLength(family) + ")");
        }
        return IpAddresses.fromBytes(b);
    }

    /** An address of either family (4 or 16 bytes), e.g. NDA_DST of an FDB entry. */
    static InetAddress anyAddress(Attribute a) {
        byte[] b = a.bytes();
        if (b.length != 4 && b.length != 16) {
            throw new MalformedMessageException(a.path() + ": " + b.length + " bytes is not an IP address");
        }
        return IpAddresses.fromBytes(b);
    }

    /** The all-zero address of {@code family} (destination of a default route without RTA_DST). */
    static InetAddress any(int family) {
        return IpAddresses.fromBytes(new byte[addressLength(family)]);
    }

    static IpPrefix prefix(InetAddress a, int length, String path) {
        if (length > a.getAddress().length * 8) {
            throw new MalformedMessageException(path + ": prefix length " + length + " too long for "
                    + IpAddresses.format(a));
        }
        return IpPrefix.of(a, length);
    }

    /** An Ethernet address, or null when the link layer address is not 6 bytes (not Ethernet). */
    static MacAddress mac(Attribute a) {
        byte[] b = a.bytes();
        return b.length == 6 ? MacAddress.of(b) : null;
    }

    static RouteScope scope(int kernel) {
        return RouteScope.fromKernel(kernel);
    }

    /**
     * Refuses an address whose family differs from the object's before anything is sent, naming
     * {@code change} by its command (rendered only then).
     */
    static void requireFamily(int family, InetAddress a, String what, KernelChange change) {
        if (family(a) != family) {
            throw new InvalidConfigException(change.command() + ": " + what + " " + IpAddresses.format(a) + " is "
                    + (family(a) == LinuxConstants.AF_INET6 ? "IPv6" : "IPv4") + " but the "
                    + (family == LinuxConstants.AF_INET6 ? "destination is IPv6" : "destination is IPv4")
                    + "; both must be of the same family");
        }
    }
}
