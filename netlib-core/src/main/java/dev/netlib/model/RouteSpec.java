package dev.netlib.model;

import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/**
 * A route to add or delete. {@code destination} 0.0.0.0/0 or ::/0 is the default route. Null
 * fields are not sent: the kernel picks the main table, universe scope (or link scope for a
 * device route without gateway) and metric 0.
 */
public record RouteSpec(IpPrefix destination, InetAddress gateway, String device, RouteScope scope, Integer table, Integer metric) {
    public static final int MAIN_TABLE = 254;
}
