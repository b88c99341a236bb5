package dev.netlib.spi.change;

import dev.netlib.model.RouteSpec;
import dev.netlib.value.IpAddresses;

/** Renders a route as {@code ip route} arguments. */
final class RouteCommands {
    private RouteCommands() {}

    static String render(String verb, RouteSpec r) {
        StringBuilder sb = new StringBuilder("ip ");
        if (r.destination().isIpv6()) {
            sb.append("-6 ");
        }
        sb.append("route ").append(verb).append(' ');
        sb.append(r.destination().length() == 0 ? "default" : r.destination().toString());
        if (r.gateway() != null) {
            sb.append(" via ").append(IpAddresses.format(r.gateway()));
        }
        if (r.device() != null) {
            sb.append(" dev ").append(r.device());
        }
        if (r.scope() != null) {
            sb.append(" scope ").append(r.scope().word());
        }
        if (r.table() != null) {
            sb.append(" table ").append(r.table());
        }
        if (r.metric() != null) {
            sb.append(" metric ").append(r.metric());
        }
        return sb.toString();
    }
}
