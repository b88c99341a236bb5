package dev.netlib.overlay;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.IpPool;
import dev.netlib.ipam.PoolExistsException;
import dev.netlib.ipam.PoolNotFoundException;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.network.Driver;
import dev.netlib.network.HostContext;
import dev.netlib.network.Journal;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local way out of overlay containers, as Docker's {@code docker_gwbridge}: one bridge per host
 * ({@code nl_gwbridge}, 172.18.0.0/16 unless configured) with the gateway address, masquerade of its
 * subnet to everywhere else and ICC off (containers of different overlays must not meet here); each
 * overlay container gets an interface on it (the next free {@code ethN}, eth1 after the overlay's
 * eth0) and its default route through it. Addresses come from a pool in the host's own store.
 */
final class GatewayBridge {
    static final String DEVICE = "nl_gwbridge";

    private final IpPrefix subnet;

    GatewayBridge(IpPrefix subnet) {
        this.subnet = subnet.requireSubnet();
    }

    IpPrefix subnet() {
        return subnet;
    }

    InetAddress gateway() {
        return subnet.firstUsable();
    }

    /** The host end of an endpoint's gateway veth: {@code nlg} and 8 characters of its id. */
    static String hostInterface(String endpointId) {
        return "nlg" + endpointId.substring(0, Math.min(8, endpointId.length()));
    }

    /**
     * Connects the container to the gateway bridge, creating the bridge and its rules on first use;
     * every step journaled.
     *
     * <p>Equivalent to: {@code ip link add nl_gwbridge type bridge; ip addr add 172.18.0.1/16 dev
     * nl_gwbridge; nft add rule ip netlib postrouting ip saddr 172.18.0.0/16 oifname != nl_gwbridge
     * masquerade; nft add rule ip netlib forward iifname nl_gwbridge oifname nl_gwbridge drop; ip link add
     * nlg-ID master nl_gwbridge type veth peer name ethN netns CONTAINER; ip -n CONTAINER addr add A/16
     * dev ethN; ip -n CONTAINER route add default via 172.18.0.1}.
     */
    void attach(HostContext ctx, String endpointId, Namespace container, boolean defaultRoute, Journal j) {
        Netlib host = ctx.host();
        if (host.findLink(DEVICE).isEmpty()) {
            j.step("ip link add " + DEVICE + " type bridge", () -> host.bridge(DEVICE).mac(MacAddress.randomLocal()).up().create(),
                    () -> Driver.deleteLink(host, DEVICE));
            host.addresses().add(DEVICE, IpPrefix.of(gateway(), subnet.length()));
            ctx.enableForwarding(j);
            if (ctx.firewallEnabled()) {
                ctx.enableBridgeNetfilter(j);
            }
            ctx.addRules(j, rules());
        }
        IpPool pool = pool(ctx);
        InetAddress ip = pool.allocate(endpointId);
        j.undo("release " + IpAddresses.format(ip) + " of " + DEVICE, () -> pool.release(ip));
        Netlib inside = host.in(container);
        Set<String> used = new HashSet<>();
        inside.links().forEach((LinkInfo l) -> used.add(l.name()));
        String ifName = null;
        for (int i = 0; ifName == null; i++) {
            if (!used.contains("eth" + i)) {
                ifName = "eth" + i;
            }
        }
        String hostIf = hostInterface(endpointId);
        String eth = ifName;
        j.step("ip link add " + hostIf + " type veth peer name " + eth, () -> host.veth(hostIf).master(DEVICE).up()
                .peer(eth, p -> p.namespace(container).mac(MacAddress.fromIpv4(ip)).up()).create(), () -> Driver.deleteLink(host, hostIf));
        var batch = inside.batch().addAddress(eth, IpAddresses.format(ip) + "/" + subnet.length());
        if (defaultRoute) {
            batch.addDefaultRoute(IpAddresses.format(gateway()));
        }
        batch.apply();
    }

    /** Removes the endpoint's gateway interface and returns its address. Equivalent to: {@code ip link del nlg-ID}. */
    void detach(HostContext ctx, String endpointId) {
        Driver.deleteLink(ctx.host(), hostInterface(endpointId));
        IpPool pool = pool(ctx);
        pool.releaseOwner(endpointId);
    }

    List<NatRule> rules() {
        return List.of(NatRule.masquerade().source(subnet.toString()).notOutInterface(DEVICE).build(), NatRule.noIcc(DEVICE));
    }

    private IpPool pool(HostContext ctx) {
        var store = ctx.store(Driver.Scope.LOCAL);
        try {
            return IpPool.open(store, DEVICE);
        } catch (PoolNotFoundException absent) {
            try {
                return IpPool.builder(store, DEVICE).subnet(subnet).gateway(gateway()).create();
            } catch (PoolExistsException raced) {
                return IpPool.open(store, DEVICE);
            }
        }
    }
}
