package dev.netlib.model;

import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/** A route as the kernel reports it (RTM_NEWROUTE); {@code type} is RTN_* (1 = unicast, 2 = local). */
public record RouteInfo(IpPrefix destination, InetAddress gateway, String device, int deviceIndex, RouteScope scope,
        int table, int metric, int protocol, int type) {
    /** True for a default route (prefix length 0). */
    public boolean isDefault() {
        return destination.length() == 0;
    }
}
