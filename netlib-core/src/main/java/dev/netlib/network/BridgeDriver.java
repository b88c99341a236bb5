package dev.netlib.network;

import dev.netlib.BridgeBuilder;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.VethBuilder;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's bridge driver: a bridge in the host namespace holding the gateway address; each endpoint
 * a veth pair whose host end is enslaved to the bridge (a bridge port) and whose peer is born inside
 * the container as ethN; masquerade, isolation and ICC as nftables rules in the host namespace.
 */
final class BridgeDriver implements Driver {
    static final BridgeDriver INSTANCE = new BridgeDriver();

    private BridgeDriver() {}

    @Override
    public void validate(HostContext ctx, NetworkConfig n) {
        if (ctx.host().findLink(n.device()).isPresent()) {
            throw new InvalidConfigException("a link named " + n.device() + " already exists in " + ctx.host().namespace()
                    + "; choose another bridge name for network " + n.name());
        }
    }

    @Override
    public List<KernelLink> networkLinks(NetworkConfig n) {
        return List.of(KernelLink.onHost(n.device()));
    }

    @Override
    public void create(HostContext ctx, NetworkConfig n, Journal j) {
        makeBridge(ctx.host(), n, j);
        if (!n.internal()) {
            ctx.enableForwarding(j);
        }
        if (!n.icc() && ctx.firewallEnabled()) {
            ctx.enableBridgeNetfilter(j);
        }
        List<NetworkConfig> nets = ctx.networks();
        ctx.addRules(j, networkRules(n, nets));
        followRemovals(ctx, n, nets);
    }

    /**
     * The isolation from bridges whose networks were created meanwhile by other processes: their
     * records were not there when {@link #create} read the networks (without this, two networks
     * created at once could end up with no isolation between them). Either creator may add a pair,
     * or both try: the second finds it installed and leaves it to the first.
     */
    @Override
    public void created(HostContext ctx, NetworkConfig n, Journal j) {
        List<NetworkConfig> nets = ctx.networks();
        ctx.addMissingRules(j, isolation(n, nets));
        followRemovals(ctx, n, nets);
    }

    /**
     * Reads the networks again after the isolation of {@code n} from the bridges of {@code read}
     * was written, and takes away the pairs with bridges whose networks went meanwhile. A network's
     * removal deletes its record, then reads the table and removes the pairs that name its bridge;
     * a pair written after that read, from networks read before the record went, named a bridge
     * that was gone, and stayed. Of the two (the pair written, then the records read; the record
     * deleted, then the pairs read) at least one sees the other. Only the pairs with bridges that
     * went are removed, by their elements ({@link Firewall#remove} leaves those already gone):
     * nothing read grows with the table. Not journaled: undone, it would put back pairs nobody wants.
     */
    private static void followRemovals(HostContext ctx, NetworkConfig n, List<NetworkConfig> read) {
        Set<String> now = new HashSet<>();
        for (NetworkConfig o : ctx.networks()) {
            now.add(o.device());
        }
        List<NatRule> gone = new ArrayList<>();
        for (NatRule r : isolation(n, read)) {
            IsolationRule i = (IsolationRule) r.spec();
            if (!now.contains(i.bridgeA().equals(n.device()) ? i.bridgeB() : i.bridgeA())) {
                gone.add(r);
            }
        }
        ctx.removeRules(Journal.discarding("isolation of " + n.name()), gone);
    }

    /** The bridge with its own MAC and the gateway address, one undo for both. */
    private static void makeBridge(Netlib host, NetworkConfig n, Journal j) {
        // A MAC of its own, as Docker gives its bridges: without one the bridge takes the lowest MAC
        // of its ports, so it would change as containers come and go (and neighbours' ARP caches go stale).
        BridgeBuilder b = host.bridge(n.device()).mac(MacAddress.randomLocal()).up();
        if (n.mtu() != null) {
            b.mtu(n.mtu());
        }
        // The address goes with the bridge, so the bridge's undo covers both steps.
        j.step("ip link add " + n.device() + " type bridge", b::create, () -> Driver.deleteLink(host, n.device()));
        host.addresses().add(n.device(), n.gatewayPrefix());
    }

    @Override
    public void removeUndoable(HostContext ctx, NetworkConfig n, Journal j) {
        ctx.removeRules(j, Firewall.rulesOf(ctx.installedRules(), n));
    }

    @Override
    public void remove(HostContext ctx, NetworkConfig n, Journal j) {
        Driver.deleteLink(ctx.host(), n.device());
    }

    @Override
    public String hostInterfaceName(String endpointId) {
        return "veth" + endpointId.substring(0, 7); // Docker's naming: veth + 7 hex digits
    }

    @Override
    public List<KernelLink> endpointLinks(String endpointId, String netnsName, String ifName) {
        KernelLink host = KernelLink.onHost(hostInterfaceName(endpointId));
        return netnsName == null ? List.of(host) : List.of(host, new KernelLink(netnsName, ifName));
    }

    @Override
    public void attach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j) {
        Netlib host = ctx.host();
        String hostIf = e.hostIfName();
        // Fast path: one RTM_NEWLINK makes both ends, the peer inside the container with its final
        // name, MAC and MTU, the host end enslaved and up: no move (an rcu_barrier under RTNL), no rename.
        // The host end is a bridge port with hairpin on, as Docker sets it on all its veths: with
        // br_netfilter a container's packet to its own published port is DNATed back to itself and
        // must leave by the port it came in, which the bridge refuses without hairpin.
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
    public void detach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        // Deleting the host end takes the peer inside the container with it.
        Driver.deleteLink(ctx.host(), e.hostIfName());
    }

    @Override
    public List<Missing> check(HostContext ctx, NetworkConfig n) {
        List<Missing> missing = new ArrayList<>();
        Optional<LinkInfo> bridge = ctx.host().findLink(n.device());
        if (bridge.isEmpty()) {
            missing.add(Missing.object("bridge " + n.device() + " is missing"));
            return missing;
        }
        boolean hasGateway = ctx.host().addresses().list(n.device()).stream().map(AddressInfo::address)
                .anyMatch(a -> a.equals(n.gatewayPrefix()));
        if (!hasGateway) {
            missing.add(Missing.object("gateway " + IpAddresses.format(n.gateway()) + " is missing on " + n.device()));
        }
        for (NatRule r : ctx.missingRules(networkRules(n, ctx.networks()))) {
            missing.add(Missing.rule(r));
        }
        return missing;
    }

    @Override
    public void repairNetwork(HostContext ctx, NetworkConfig n, Journal j) {
        Netlib host = ctx.host();
        if (host.findLink(n.device()).isEmpty()) {
            makeBridge(host, n, j);
        } else if (host.addresses().list(n.device()).stream().noneMatch(a -> a.address().equals(n.gatewayPrefix()))) {
            host.addresses().add(n.device(), n.gatewayPrefix());
        }
        List<NetworkConfig> nets = ctx.networks();
        ctx.addMissingRules(j, networkRules(n, nets));
        followRemovals(ctx, n, nets);
    }

    @Override
    public boolean endpointPresent(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container) {
        return ctx.host().findLink(e.hostIfName()).map(l -> n.device().equals(l.masterName())).orElse(false);
    }

    @Override
    public void repairEndpoint(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container, Journal j) {
        if (ctx.host().findLink(e.hostIfName()).isPresent()) {
            // the bridge was re-created: put the surviving host end back on it
            ctx.host().link(e.hostIfName()).master(n.device()).up();
        } else {
            attach(ctx, n, e, container, ctx.loDown(container), j);
        }
    }

    @Override
    public List<String> strayLinks(NetworkConfig n, List<LinkInfo> hostLinks, Set<String> ownedHostLinks) {
        List<String> out = new ArrayList<>();
        for (LinkInfo l : hostLinks) {
            if (l.isVeth() && n.device().equals(l.masterName()) && !ownedHostLinks.contains(l.name())) {
                out.add(l.name());
            }
        }
        return out;
    }

    @Override
    public Map<String, String> options(NetworkConfig n) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("com.docker.network.bridge.name", n.device());
        options.put("com.docker.network.bridge.enable_icc", Boolean.toString(n.icc()));
        options.put("com.docker.network.bridge.enable_ip_masquerade", Boolean.toString(n.masquerade()));
        options.put("com.docker.network.bridge.default_bridge", Boolean.toString(n.defaultNetwork()));
        return options;
    }

    /**
     * The rules a bridge network needs: masquerade, hairpin NAT (so its containers reach the ports
     * published to any of them, whatever the number of ports), ICC off, isolation from the other bridges.
     */
    static List<NatRule> networkRules(NetworkConfig n, List<NetworkConfig> others) {
        List<NatRule> rules = new ArrayList<>();
        if (n.masquerade() && !n.internal()) {
            rules.add(NatRule.masquerade().source(n.subnet().toString()).notOutInterface(n.device()).build());
        }
        if (!n.internal()) {
            rules.add(NatRule.hairpin(n.device(), n.subnet().toString()));
        }
        if (!n.icc()) {
            rules.add(NatRule.noIcc(n.device()));
        }
        rules.addAll(isolation(n, others));
        return rules;
    }

    /** The isolation of bridge network {@code n} from each other bridge network of {@code others}. */
    static List<NatRule> isolation(NetworkConfig n, List<NetworkConfig> others) {
        List<NatRule> rules = new ArrayList<>();
        for (NetworkConfig o : others) {
            if (o.driver() == DriverKind.BRIDGE && !o.name().equals(n.name())) {
                rules.add(NatRule.isolate(n.device(), o.device()));
            }
        }
        return rules;
    }
}
