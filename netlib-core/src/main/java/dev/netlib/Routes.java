package dev.netlib;

import dev.netlib.model.RouteInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.util.List;

/** Routes of one namespace. Obtained from {@link Netlib#routes()}. */
public final class Routes {
    private final Netlib netlib;

    Routes(Netlib netlib) {
        this.netlib = netlib;
    }

    /** A route to {@code destination} ("10.1.0.0/16", or "default" / "default6"). */
    public RouteBuilder to(String destination) {
        IpPrefix dst = switch (destination) {
            case "default" -> IpPrefix.parse("0.0.0.0/0");
            case "default6" -> IpPrefix.parse("::/0");
            default -> IpPrefix.parse(destination);
        };
        return new RouteBuilder(netlib, dst);
    }

    /** Adds the default route via a gateway. Equivalent to: {@code ip route add default via GATEWAY}. */
    public void addDefault(String gateway) {
        boolean v6 = IpAddresses.isIpv6(IpAddresses.parse(gateway));
        to(v6 ? "default6" : "default").via(gateway).add();
    }

    /** Routes of every table but local. Equivalent to: {@code ip route show table all} (minus local). */
    public List<RouteInfo> list() {
        return netlib.backend().routes(netlib.ref());
    }

    /** The default routes. Equivalent to: {@code ip route show default}. */
    public List<RouteInfo> defaults() {
        return list().stream().filter(RouteInfo::isDefault).toList();
    }
}
