package dev.netlib.examples.scenarios;

import dev.netlib.Netlib;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.value.IpAddresses;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one namespace that netlib and a replay of its log must agree on, one sorted line
 * per link, address, route and netlib nf_tables rule, without what differs between two runs by nature (ifindexes, MACs
 * and the link-local addresses made from them, peer namespace ids).
 */
final class ReplayState {
    private ReplayState() {}

    static List<String> of(Netlib in) {
        List<String> out = new ArrayList<>();
        for (LinkInfo l : in.links()) {
            out.add("link " + l.name() + " kind=" + l.kind() + " mtu=" + l.mtu() + " up=" + l.adminUp()
                    + " master=" + l.master().orElse("-"));
        }
        for (AddressInfo a : in.addresses().list()) {
            // a link-local address comes from the link's random MAC: only its presence is compared
            String address = a.address().toString().startsWith("fe80:") ? "fe80::(from the MAC)/64" : a.address().toString();
            out.add("addr " + a.device() + " " + address + " scope=" + a.scope());
        }
        for (RouteInfo r : in.routes().list()) {
            out.add("route " + r.destination() + " via=" + (r.gateway() == null ? "-" : IpAddresses.format(r.gateway()))
                    + " dev=" + r.device() + " table=" + r.table() + " scope=" + r.scope() + " proto=" + r.protocol()
                    + " metric=" + r.metric() + " type=" + r.type());
        }
        // netlib's nf_tables rules as netlib reads them back from the kernel (any process can)
        for (var rule : in.nat().list()) {
            out.add("nft " + rule);
        }
        out.sort(null);
        return out;
    }
}
