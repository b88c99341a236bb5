package dev.netlib.network;

import dev.netlib.Batch;
import dev.netlib.BridgeBuilder;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.VethBuilder;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Docker's bridge driver: a bridge in the host namespace holding the gateway address; each endpoint
 * a veth pair whose host end is enslaved to the bridge and whose peer is born inside the container
 * as ethN; masquerade, isolation and ICC as nftables rules in the host namespace.
 */
final class BridgeDriver implements Driver {
    static final BridgeDriver INSTANCE = new BridgeDriver();

    private BridgeDriver() {}

    @Override
    public void validate(Networks ctx, NetworkConfig n) {
        if (ctx.host().findLink(n.device()).isPresent()) {
            throw new InvalidConfigException("a link named " + n.device() + " already exists in " + ctx.host().namespace()
                    + "; choose another bridge name for network " + n.name());
        }
    }

    @Override
    public void create(Networks ctx, NetworkConfig n, Journal j) {
        Netlib host = ctx.host();
        // A MAC of its own, as Docker gives its bridges: without one the bridge takes the lowest MAC
        // of its ports, so it would change as containers come and go (and neighbours' ARP caches go stale).
        BridgeBuilder b = host.bridge(n.device()).mac(MacAddress.randomLocal()).up();
        if (n.mtu() != null) {
            b.mtu(n.mtu());
        }
        // The address goes with the bridge, so the bridge's undo covers both steps.
        j.step("ip link add " + n.device() + " type bridge", b::create, () -> Driver.deleteLink(host, n.device()));
        host.addresses().add(n.device(), n.gatewayPrefix());
        if (!n.internal()) {
            ctx.enableForwarding(j);
        }
        if (!n.icc() && ctx.firewall().enabled()) {
            ctx.enableBridgeNetfilter(j);
        }
        ctx.firewall().add(j, Firewall.networkRules(n, ctx.state().networks()));
    }

    @Override
    public void remove(Networks ctx, NetworkConfig n, Journal j) {
        ctx.firewall().remove(j, ctx.firewall().rulesOf(n));
        Driver.deleteLink(ctx.host(), n.device());
    }

    @Override
    public String hostInterfaceName(String endpointId) {
        return "veth" + endpointId.substring(0, 7); // Docker's naming: veth + 7 hex digits
    }

    @Override
    public void attach(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j) {
        Netlib host = ctx.host();
        String hostIf = e.hostIfName();
        // Fast path: one RTM_NEWLINK makes both ends, the peer inside the container with its final
        // name, MAC and MTU, the host end enslaved and up: no move (an rcu_barrier under RTNL), no rename.
        VethBuilder v = host.veth(hostIf).master(n.device()).hairpin(true).up()
                .peer(e.ifName(), p -> {
                    p.namespace(container).mac(e.mac()).up();
                    if (n.mtu() != null) {
                        p.mtu(n.mtu());
                    }
                });
        if (n.mtu() != null) {
            v.mtu(n.mtu());
        }
        j.step("ip link add " + hostIf + " type veth peer name " + e.ifName(), v::create, () -> Driver.deleteLink(host, hostIf));
        ctx.configureInside(n, e, container, loDown);
    }

    @Override
    public void detach(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        // Deleting the host end takes the peer inside the container with it.
        Driver.deleteLink(ctx.host(), e.hostIfName());
    }

    @Override
    public List<String> check(Networks ctx, NetworkConfig n) {
        List<String> missing = new ArrayList<>();
        Optional<LinkInfo> bridge = ctx.host().findLink(n.device());
        if (bridge.isEmpty()) {
            missing.add("bridge " + n.device() + " is missing");
            return missing;
        }
        boolean hasGateway = ctx.host().addresses().list(n.device()).stream().map(AddressInfo::address)
                .anyMatch(a -> a.equals(n.gatewayPrefix()));
        if (!hasGateway) {
            missing.add("gateway " + IpAddresses.format(n.gateway()) + " is missing on " + n.device());
        }
        if (ctx.firewall().enabled()) {
            var installed = ctx.firewall().installed();
            for (var r : Firewall.networkRules(n, List.of())) {
                if (!installed.contains(r)) {
                    missing.add("rule '" + r + "' is missing");
                }
            }
        }
        return missing;
    }

    @Override
    public boolean endpointPresent(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        return ctx.host().findLink(e.hostIfName()).map(l -> n.device().equals(l.masterName())).orElse(false);
    }

    @Override
    public void repairEndpoint(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container, Journal j) {
        if (ctx.host().findLink(e.hostIfName()).isPresent()) {
            // the bridge was re-created: put the surviving host end back on it
            ctx.host().link(e.hostIfName()).master(n.device()).up();
        } else {
            attach(ctx, n, e, container, Networks.loDown(ctx.host().in(container)), j);
        }
    }

    /** The batch that finishes a fresh interface inside the container: lo up if needed, address, default route. */
    static Batch insideBatch(Netlib inside, EndpointConfig e, NetworkConfig n, boolean loUp) {
        Batch b = inside.batch();
        if (loUp) {
            b.linkUp("lo");
        }
        b.addAddress(e.ifName(), e.address().toString());
        if (e.defaultRoute()) {
            b.addDefaultRoute(IpAddresses.format(n.gateway()));
        }
        return b;
    }
}
