package dev.netlib.contract.iproute;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import java.util.Map;

/** Recovers errno and extended-ack text from what iproute2 prints on failure. */
final class IpErrors {
    private IpErrors() {}

    private static final Map<String, Errno> STRERROR = Map.ofEntries(
            Map.entry("File exists", Errno.EEXIST),
            Map.entry("No such device", Errno.ENODEV),
            Map.entry("Operation not supported", Errno.EOPNOTSUPP),
            Map.entry("Invalid argument", Errno.EINVAL),
            Map.entry("No such file or directory", Errno.ENOENT),
            Map.entry("No such process", Errno.ESRCH),
            Map.entry("Cannot assign requested address", Errno.EADDRNOTAVAIL),
            Map.entry("Network is unreachable", Errno.ENETUNREACH),
            Map.entry("Network is down", Errno.ENETDOWN),
            Map.entry("No route to host", Errno.EHOSTUNREACH),
            Map.entry("Address family not supported by protocol", Errno.EAFNOSUPPORT),
            Map.entry("Transport endpoint is not connected", Errno.of(107)),
            Map.entry("Permission denied", Errno.EACCES),
            Map.entry("Operation not permitted", Errno.EPERM),
            Map.entry("Device or resource busy", Errno.EBUSY),
            Map.entry("Numerical result out of range", Errno.ERANGE),
            Map.entry("Too many levels of symbolic links", Errno.of(40)));

    /** Extended-ack texts and the errno the kernel sends with them (from the kernel sources). */
    private static final Map<String, Errno> EXTACK = Map.ofEntries(
            Map.entry("mtu less than device minimum", Errno.EINVAL),
            Map.entry("mtu greater than device maximum", Errno.EINVAL),
            Map.entry("Nexthop has invalid gateway", Errno.ENETUNREACH),
            Map.entry("Device for nexthop is not up", Errno.ENETDOWN),
            Map.entry("ipv4: Address already assigned", Errno.EEXIST),
            Map.entry("ipv6: address already assigned", Errno.EEXIST),
            Map.entry("ipv4: Address not found", Errno.EADDRNOTAVAIL),
            Map.entry("ipv6: address not found", Errno.EADDRNOTAVAIL),
            Map.entry("An interface with the same name exists in the target netns", Errno.EEXIST),
            Map.entry("The interface netns is immutable", Errno.EINVAL),
            Map.entry("A VXLAN device with the specified VNI already exists", Errno.EEXIST),
            Map.entry("Unknown device type", Errno.EOPNOTSUPP),
            Map.entry("FIB table does not exist", Errno.ESRCH),
            Map.entry("Cannot replace non-unicast fdb entries", Errno.EOPNOTSUPP),
            Map.entry("Can not enslave a bridge to a bridge", Errno.of(40)));

    static KernelException toException(String operation, String stderr) {
        String first = stderr.lines().findFirst().orElse("");
        if (first.startsWith("RTNETLINK answers: ")) {
            String text = first.substring("RTNETLINK answers: ".length());
            return KernelException.of(STRERROR.getOrDefault(text, Errno.EIO), operation, null);
        }
        if (first.startsWith("Error: ")) {
            String msg = first.substring("Error: ".length()).replaceAll("\\.$", "");
            if (msg.contains("Device does not exist")) {
                return KernelException.of(Errno.ENODEV, operation, null);
            }
            Errno e = EXTACK.get(msg);
            if (e != null) {
                return KernelException.of(e, operation, msg);
            }
            return KernelException.of(Errno.EIO, operation, "unmapped iproute2 error: " + stderr);
        }
        if (first.startsWith("Cannot find device") || first.contains("does not exist")) {
            return KernelException.of(Errno.ENODEV, operation, null);
        }
        for (Map.Entry<String, Errno> e : STRERROR.entrySet()) {
            if (first.endsWith(e.getKey())) {
                return KernelException.of(e.getValue(), operation, null);
            }
        }
        return KernelException.of(Errno.EIO, operation, "unmapped iproute2 error: " + stderr);
    }
}
