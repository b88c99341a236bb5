package dev.netlib.spi.nft;

import java.util.List;
import java.util.Objects;

/**
 * Inter-container communication switched off inside one bridge (Docker's {@code icc=false}): IPv4
 * frames the bridge forwards from one port to another are dropped in the bridge family's forward
 * hook, {@code meta ibrname "br0" meta obrname "br0" meta protocol ip drop}. ARP still passes, as with Docker.
 */
public record IccRule(String bridge) implements FirewallRule {
    public IccRule {
        Objects.requireNonNull(bridge, "bridge");
    }

    @Override
    public List<NftRuleText> expand() {
        return List.of(new NftRuleText(NftLayout.BRIDGE_FORWARD,
                "meta ibrname \"" + bridge + "\" meta obrname \"" + bridge + "\" meta protocol ip drop"));
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
