package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.MacvlanMode;
import java.util.List;

/**
 * Docker's macvlan driver in bridge mode: each endpoint a macvlan on the host's uplink, born inside
 * the container as ethN; containers sit on the LAN itself, the gateway is the LAN's router, there is
 * no bridge and no NAT. (The host cannot reach its own macvlans through the parent: a kernel rule
 * of macvlan, as Docker documents.)
 */
final class MacvlanDriver implements Driver {
    static final MacvlanDriver INSTANCE = new MacvlanDriver();

    private MacvlanDriver() {}

    @Override
    public void validate(Networks ctx, NetworkConfig n) {
        if (ctx.host().findLink(n.device()).isEmpty()) {
            throw new InvalidConfigException("macvlan network " + n.name() + " needs its parent link " + n.device() + " in "
                    + ctx.host().namespace() + ", and there is none");
        }
    }

    @Override
    public void create(Networks ctx, NetworkConfig n, Journal j) {
        // nothing in the kernel until the first endpoint
    }

    @Override
    public void remove(Networks ctx, NetworkConfig n, Journal j) {}

    @Override
    public String hostInterfaceName(String endpointId) {
        return null;
    }

    @Override
    public void attach(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j) {
        Netlib host = ctx.host();
        Netlib inside = host.in(container);
        var m = host.macvlan(e.ifName()).parent(n.device()).mode(MacvlanMode.BRIDGE).namespace(container).mac(e.mac()).up();
        if (n.mtu() != null) {
            m.mtu(n.mtu());
        }
        j.step("ip link add link " + n.device() + " name " + e.ifName() + " type macvlan mode bridge", m::create,
                () -> Driver.deleteLink(inside, e.ifName()));
        ctx.configureInside(n, e, container, loDown);
    }

    @Override
    public void detach(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        if (container != null) {
            Driver.deleteLink(ctx.host().in(container), e.ifName());
        }
    }

    @Override
    public List<String> check(Networks ctx, NetworkConfig n) {
        return ctx.host().findLink(n.device()).isPresent() ? List.of() : List.of("parent link " + n.device() + " is missing");
    }

    @Override
    public boolean endpointPresent(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        return container != null && ctx.host().in(container).findLink(e.ifName()).isPresent();
    }
}
