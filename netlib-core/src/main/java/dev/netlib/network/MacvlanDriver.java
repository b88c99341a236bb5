package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NetlibException;
import dev.netlib.model.MacvlanMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    public void validate(HostContext ctx, NetworkConfig n) {
        if (ctx.host().findLink(n.device()).isEmpty()) {
            throw new InvalidConfigException("macvlan network " + n.name() + " needs its parent link " + n.device() + " in "
                    + ctx.host().namespace() + ", and there is none");
        }
    }

    @Override
    public List<KernelLink> networkLinks(NetworkConfig n) {
        return List.of(); // the parent is the host's, never netlib's to delete
    }

    @Override
    public void create(HostContext ctx, NetworkConfig n, Journal j) {
        // nothing in the kernel until the first endpoint
    }

    @Override
    public void remove(HostContext ctx, NetworkConfig n, Journal j) {}

    @Override
    public String hostInterfaceName(String endpointId) {
        return null;
    }

    @Override
    public List<KernelLink> endpointLinks(String endpointId, String netnsName, String ifName) {
        // an anonymous namespace could not be opened by another process anyway
        return netnsName == null ? List.of() : List.of(new KernelLink(netnsName, ifName));
    }

    @Override
    public void attach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j) {
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
    public void detach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        if (container != null) {
            Driver.deleteLink(ctx.host().in(container), e.ifName());
        }
    }

    @Override
    public List<Missing> check(HostContext ctx, NetworkConfig n) {
        return ctx.host().findLink(n.device()).isPresent() ? List.of() : List.of(Missing.object("parent link " + n.device() + " is missing"));
    }

    @Override
    public void repairNetwork(HostContext ctx, NetworkConfig n, Journal j) {
        throw new NetlibException("cannot repair macvlan network " + n.name() + ": its parent " + n.device() + " is not netlib's to create");
    }

    @Override
    public boolean endpointPresent(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        return container != null && ctx.host().in(container).findLink(e.ifName()).isPresent();
    }

    @Override
    public Map<String, String> options(NetworkConfig n) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("parent", n.device());
        options.put("macvlan_mode", "bridge");
        return options;
    }
}
