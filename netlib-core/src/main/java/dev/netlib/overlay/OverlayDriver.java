package dev.netlib.overlay;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.network.Driver;
import dev.netlib.network.EndpointConfig;
import dev.netlib.network.HostContext;
import dev.netlib.network.Journal;
import dev.netlib.network.KernelLink;
import dev.netlib.network.NetworkConfig;
import dev.netlib.value.IpPrefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Docker's overlay driver for the network layer ({@code Networks}), on an {@link OverlayAgent}: a
 * network of global scope (its definition and addresses in the store every host shares) whose VNI and
 * unique name are written with it; per host, the bridge and VXLAN device appear with the first local
 * endpoint and go with the last; each endpoint gets its overlay interface (no default route: nobody
 * holds the overlay's gateway address) and an interface on the host's gateway bridge, which carries
 * the default route, and is announced to every host under this host's lease.
 */
public final class OverlayDriver implements Driver {
    private final OverlayAgent agent;
    private final GatewayBridge gateway;

    /** The driver over {@code agent}, with Docker's gateway bridge subnet 172.18.0.0/16. */
    public OverlayDriver(OverlayAgent agent) {
        this(agent, "172.18.0.0/16");
    }

    /** The driver over {@code agent}, with the gateway bridge on {@code gatewaySubnet}. */
    public OverlayDriver(OverlayAgent agent, String gatewaySubnet) {
        this.agent = agent;
        this.gateway = new GatewayBridge(IpPrefix.parseSubnet(gatewaySubnet));
    }

    /** The agent the driver works through. */
    public OverlayAgent agent() {
        return agent;
    }

    @Override
    public Scope scope() {
        return Scope.GLOBAL;
    }

    @Override
    public void validate(HostContext ctx, NetworkConfig n) {
        if (n.subnet().overlaps(gateway.subnet())) {
            throw new dev.netlib.error.InvalidConfigException("overlay subnet " + n.subnet() + " overlaps the gateway bridge's subnet "
                    + gateway.subnet() + "; choose another subnet");
        }
    }

    /** Nothing at creation: the devices appear on a host with its first endpoint. */
    @Override
    public List<KernelLink> networkLinks(NetworkConfig n) {
        return List.of();
    }

    /** Writes the network, its name and its VNI to the cluster store in one transaction; undo: removes them. */
    @Override
    public void create(HostContext ctx, NetworkConfig n, Journal j) {
        j.step("create overlay network " + n.name() + " in " + agent.store().describe(),
                () -> agent.createNetwork(n.name(), n.subnet(), n.gateway()), () -> agent.deleteNetwork(n.name()));
    }

    /** Removes the network's records (refused while any host has an endpoint on it); this host's devices went with its last endpoint. */
    @Override
    public void remove(HostContext ctx, NetworkConfig n, Journal j) {
        if (agent.network(n.name()).isPresent()) {
            agent.deleteNetwork(n.name());
        }
    }

    @Override
    public String hostInterfaceName(String endpointId) {
        return OverlayAgent.hostInterface(endpointId);
    }

    @Override
    public List<KernelLink> endpointLinks(String endpointId, String netnsName, String ifName) {
        List<KernelLink> links = new java.util.ArrayList<>(List.of(KernelLink.onHost(OverlayAgent.hostInterface(endpointId)),
                KernelLink.onHost(GatewayBridge.hostInterface(endpointId))));
        if (netnsName != null) {
            links.add(new KernelLink(netnsName, ifName)); // the overlay veth's peer: a claim (Driver#endpointLinks)
        }
        return List.copyOf(links);
    }

    private OverlayNetwork overlay(NetworkConfig n) {
        return agent.network(n.name()).orElseThrow(() -> new OverlayException("overlay network '" + n.name()
                + "' is not in the cluster store " + agent.store().describe() + "; it was removed by another host"));
    }

    /**
     * Equivalent to: {@code ip link add nlo-ID mtu 1450 master nlb-V type veth peer name eth0 netns NS
     * address MAC mtu 1450; ip -n NS addr add IP/LEN dev eth0}, then the gateway bridge's interface, then
     * the advert in the store.
     */
    @Override
    public void attach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j) {
        OverlayNetwork o = overlay(n);
        Netlib host = ctx.host();
        AtomicBoolean pending = new AtomicBoolean(true);
        String bridge = agent.prepare(o);
        j.undo("release the prepared devices of " + o.name(), () -> {
            if (pending.get()) {
                agent.abort(o);
            }
            agent.refresh(o); // runs last: the devices go now if nothing else uses them
        });
        int mtu = agent.mtu(o);
        j.step("ip link add " + e.hostIfName() + " type veth peer name " + e.ifName(),
                () -> host.veth(e.hostIfName()).mtu(mtu).master(bridge).up()
                        .peer(e.ifName(), p -> p.namespace(container).mac(e.mac()).mtu(mtu).up()).create(),
                () -> Driver.deleteLink(host, e.hostIfName()));
        EndpointConfig noRoute = new EndpointConfig(e.network(), e.container(), e.id(), e.netnsName(), e.ifName(), e.hostIfName(),
                e.address(), e.mac(), e.staticAddress(), e.aliases(), e.ports(), false);
        ctx.configureInside(n, noRoute, container, loDown);
        gateway.attach(ctx, e.id(), container, e.defaultRoute(), j);
        pending.set(false); // advertise ends the prepare, whether it succeeds or not
        agent.advertise(new OverlayEndpoint(o, e.id(), e.address().address(), e.mac(), e.container(), e.netnsName(), e.aliases()));
        j.undo("withdraw " + e.container() + " from " + o.name(), () -> agent.withdraw(o, e.id()));
    }

    @Override
    public void detach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        Optional<OverlayNetwork> o = agent.network(n.name()); // one store read for both uses
        o.ifPresent(x -> agent.withdraw(x, e.id()));
        Driver.deleteLink(ctx.host(), e.hostIfName());
        gateway.detach(ctx, e.id());
        o.ifPresent(agent::refresh);
    }

    /** This host's kernel against the store for the network (devices, neighbour and FDB entries). */
    @Override
    public List<Missing> check(HostContext ctx, NetworkConfig n) {
        return agent.network(n.name())
                .map(o -> agent.diff().stream().filter(d -> d.contains(o.vxlanName()) || d.contains(o.name())).map(Missing::object).toList())
                .orElse(List.of(Missing.object("overlay network " + n.name() + " is missing from the cluster store")));
    }

    /** The agent repairs its networks itself (anti-entropy); this runs a pass now. */
    @Override
    public void repairNetwork(HostContext ctx, NetworkConfig n, Journal j) {
        agent.sync();
    }

    @Override
    public boolean endpointPresent(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        return agent.network(n.name()).map(o -> ctx.host().findLink(e.hostIfName()).map(l -> o.bridgeName().equals(l.masterName())).orElse(false))
                .orElse(false);
    }

    /** True if the endpoint lives on this host: reconcile on another host must leave it alone. */
    @Override
    public boolean isLocal(HostContext ctx, NetworkConfig n, EndpointConfig e) {
        return agent.network(n.name()).flatMap(o -> agent.ownerOf(o, e.id())).map(h -> h.equals(agent.hostId())).orElse(false);
    }

    @Override
    public Map<String, String> options(NetworkConfig n) {
        Map<String, String> options = new LinkedHashMap<>();
        agent.network(n.name()).ifPresent(o -> {
            options.put("com.docker.network.driver.overlay.vxlanid_list", Integer.toString(o.vni()));
            options.put("com.docker.network.driver.mtu", Integer.toString(o.mtu()));
        });
        return options;
    }
}
