package dev.netlib.spi.nft;

import java.util.List;
import java.util.Objects;

/**
 * Traffic routed between two bridges is dropped both ways, as Docker's isolation chains do:
 * {@code iifname "br1" oifname "br2" drop} and the reverse. The pair is unordered.
 */
public record IsolationRule(String bridgeA, String bridgeB) implements FirewallRule {
    public IsolationRule {
        Objects.requireNonNull(bridgeA, "bridgeA");
        Objects.requireNonNull(bridgeB, "bridgeB");
        if (bridgeA.equals(bridgeB)) {
            throw new IllegalArgumentException("isolation needs two different bridges");
        }
        if (bridgeA.compareTo(bridgeB) > 0) { // canonical order: isolate(a,b) equals isolate(b,a)
            String t = bridgeA;
            bridgeA = bridgeB;
            bridgeB = t;
        }
    }

    @Override
    public List<NftRuleText> expand() {
        return Match.commented(RuleKeys.key(this), texts());
    }

    private List<NftRuleText> texts() {
        return List.of(
                new NftRuleText(NftLayout.FORWARD, "iifname \"" + bridgeA + "\" oifname \"" + bridgeB + "\" drop"),
                new NftRuleText(NftLayout.FORWARD, "iifname \"" + bridgeB + "\" oifname \"" + bridgeA + "\" drop"));
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
        return "isolate " + bridgeA + " from " + bridgeB;
    }
}
