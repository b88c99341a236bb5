package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.RouteScope;
import dev.netlib.model.RouteSpec;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/** A route being described; {@link #add()}, {@link #replace()} or {@link #delete()} sends it. */
public final class RouteBuilder {
    private final Netlib netlib;
    private final IpPrefix destination;
    private InetAddress gateway;
    private String device;
    private RouteScope scope;
    private Integer table;
    private Integer metric;

    RouteBuilder(Netlib netlib, IpPrefix destination) {
        this.netlib = netlib;
        if (!destination.isSubnet()) {
            throw new InvalidConfigException("route destination " + destination + " has host bits set; did you mean " + destination.network() + "?");
        }
        this.destination = destination;
    }

    /** Equivalent to: {@code ip route add DEST via GATEWAY}. */
    public RouteBuilder via(String gateway) {
        InetAddress gw = IpAddresses.parse(gateway);
        if (IpAddresses.isIpv6(gw) != destination.isIpv6()) {
            throw new InvalidConfigException("gateway " + gateway + " and destination " + destination + " are of different IP families");
        }
        this.gateway = gw;
        return this;
    }

    /** Equivalent to: {@code ip route add DEST dev DEVICE}. */
    public RouteBuilder dev(String device) {
        this.device = InterfaceName.validate(device);
        return this;
    }

    /** Equivalent to: {@code ip route add DEST scope SCOPE}. */
    public RouteBuilder scope(RouteScope scope) {
        this.scope = Validate.notNull("scope", scope);
        return this;
    }

    /** Routing table 1..4294967295 (254 is main). Equivalent to: {@code ip route add DEST table N}. */
    public RouteBuilder table(int table) {
        if (table == 0) {
            throw new InvalidConfigException("routing table 0 is not a table (RT_TABLE_UNSPEC); allowed 1..4294967295, 254 is main");
        }
        this.table = table;
        return this;
    }

    /** Equivalent to: {@code ip route add DEST metric N}. */
    public RouteBuilder metric(int metric) {
        this.metric = Validate.range("metric", metric, 0, Integer.MAX_VALUE);
        return this;
    }

    RouteSpec spec() {
        if (gateway == null && device == null) {
            throw new InvalidConfigException("route " + destination + " needs a gateway (via) or a device (dev)");
        }
        return new RouteSpec(destination, gateway, device, scope, table, metric);
    }

    /** Equivalent to: {@code ip route add ...}. */
    public void add() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new AddRoute(spec(), false));
    }

    /** Adds or replaces. Equivalent to: {@code ip route replace ...}. */
    public void replace() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new AddRoute(spec(), true));
    }

    /** Equivalent to: {@code ip route del ...}. */
    public void delete() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new DeleteRoute(spec()));
    }
}
