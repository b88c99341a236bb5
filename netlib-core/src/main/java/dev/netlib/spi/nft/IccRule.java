package dev.netlib.spi.nft;

import java.util.List;
import java.util.Objects;

/**
 * Inter-container communication switched off inside one bridge (Docker's {@code icc=false}):
 * {@code iifname "br0" oifname "br0" drop} in the ip forward hook. Like Docker this relies on
 * br_netfilter passing bridged IPv4 through the ip hooks ({@code net.bridge.bridge-nf-call-iptables=1},
 * the default when br_netfilter is loaded; a bridge family {@code meta ibrname} match would need
 * CONFIG_NFT_BRIDGE_META, which common kernels lack). ARP still passes, as with Docker.
 */
public record IccRule(String bridge) implements FirewallRule {
    public IccRule {
        Objects.requireNonNull(bridge, "bridge");
    }

    @Override
    public List<NftRuleText> expand() {
        return Match.commented(RuleKeys.key(this), texts());
    }

    private List<NftRuleText> texts() {
        return List.of(new NftRuleText(NftLayout.FORWARD,
                "iifname \"" + bridge + "\" oifname \"" + bridge + "\" drop"));
    }

    @Override
    public java.util.Set<NftChain> chains() {
        return java.util.Set.of(NftLayout.FORWARD);
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
