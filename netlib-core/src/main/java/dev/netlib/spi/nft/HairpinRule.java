package dev.netlib.spi.nft;

import dev.netlib.value.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * Hairpin NAT for one bridge network: a connection from the network's subnet that was DNATed (to a
 * published port, by whichever rule) and leaves by the same bridge is masqueraded, so the target
 * answers the host, which un-DNATs the reply. Without it a container reaching a port published to
 * another container of its bridge (or to itself) gets the reply straight from the target's address,
 * which it never sent to, and drops it (without br_netfilter the bridged reply even skips conntrack).
 * Docker's bridge driver does the same with its per-port {@code -s C -d C --dport P MASQUERADE}
 * rules; keyed by network instead of by port, publishing and unpublishing never touch it.
 *
 * <p>One element of set {@code hairpin}, {@code "docker0" . 172.17.0.0/16}, looked up by the layout's
 * {@code ct status dnat oifname . ip saddr @hairpin masquerade} ({@link NftLayout}). A container that
 * reaches its own published port also needs hairpin mode on its bridge port ({@code ip link set PORT
 * type bridge_slave hairpin on}, a link setting, as Docker sets it): with br_netfilter the DNATed
 * packet is bridged back out of the port it came in on.
 *
 * @param bridge  the network's bridge, the interface the DNATed connection leaves by
 * @param network the network's subnet, where the connection comes from
 */
public record HairpinRule(String bridge, IpPrefix network) implements FirewallRule {
    /** Checks both are there. */
    public HairpinRule {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(network, "network");
    }

    /** Hairpin NAT is made of a set element only. */
    @Override
    public List<NftRuleText> expand() {
        return List.of();
    }

    /** {@code "B" . NET} in set {@code hairpin}. */
    @Override
    public List<NftElement> elements() {
        return List.of(new NftElement(NftLayout.HAIRPIN, List.of(new NftValue.Ifname(bridge), new NftValue.Net(network)), List.of(),
                RuleKeys.key(this)));
    }

    /** It masquerades routed connections. */
    @Override
    public boolean needsForwarding() {
        return true;
    }

    @Override
    public String describe() {
        return "hairpin masquerade of DNATed connections from " + network + " back out of " + bridge;
    }
}
