package dev.netlib.spi.nft;

import java.util.List;
import java.util.Objects;

/**
 * Inter-container communication switched off inside one bridge (Docker's {@code icc=false}):
 * element {@code "br0" . "br0"} of set {@code isolated}, dropped in the ip forward hook. Like Docker this relies on
 * br_netfilter passing bridged IPv4 through the ip hooks ({@code net.bridge.bridge-nf-call-iptables=1},
 * the default when br_netfilter is loaded; a bridge family {@code meta ibrname} match would need
 * CONFIG_NFT_BRIDGE_META, which common kernels lack). ARP still passes, as with Docker.
 */
public record IccRule(String bridge) implements FirewallRule {
    /** Checks the bridge is there. */
    public IccRule {
        Objects.requireNonNull(bridge, "bridge");
    }

    /** ICC is made of a set element only. */
    @Override
    public List<NftRuleText> expand() {
        return List.of();
    }

    /** {@code "B" . "B"} in set {@code isolated}. */
    @Override
    public List<NftElement> elements() {
        NftValue b = new NftValue.Ifname(bridge);
        return List.of(new NftElement(NftLayout.ISOLATED, List.of(b, b), List.of(), RuleKeys.key(this)));
    }

    @Override
    public boolean needsForwarding() {
        return false;
    }

    @Override
    public String describe() {
        return "no inter-container traffic on " + bridge;
    }
}
