package dev.netlib.spi.nft;

import java.util.List;
import java.util.Objects;

/**
 * Traffic routed between two bridges is dropped both ways, as Docker's isolation chains do:
 * both directions are elements of set {@code isolated} ({@code "br1" . "br2"}, {@code "br2" . "br1"}),
 * dropped by the layout's {@code iifname . oifname @isolated drop}. The pair is unordered.
 */
public record IsolationRule(String bridgeA, String bridgeB) implements FirewallRule {
    /** Orders the pair canonically. */
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

    /** Isolation is made of set elements only. */
    @Override
    public List<NftRuleText> expand() {
        return List.of();
    }

    /** {@code "A" . "B"} and {@code "B" . "A"} in set {@code isolated}. */
    @Override
    public List<NftElement> elements() {
        String key = RuleKeys.key(this);
        NftValue a = new NftValue.Ifname(bridgeA);
        NftValue b = new NftValue.Ifname(bridgeB);
        return List.of(new NftElement(NftLayout.ISOLATED, List.of(a, b), List.of(), key),
                new NftElement(NftLayout.ISOLATED, List.of(b, a), List.of(), key));
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
