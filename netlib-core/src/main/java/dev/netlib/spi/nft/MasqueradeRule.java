package dev.netlib.spi.nft;

import dev.netlib.value.IpPrefix;
import java.util.List;

/**
 * Source NAT to the outgoing interface's address, as Docker does for a bridge network:
 * {@code ip saddr 172.17.0.0/16 oifname != "docker0" masquerade}.
 *
 * @param source       match only these source addresses, or null for any
 * @param outInterface match the outgoing interface name, or null for any
 * @param negateOut    true: every interface except {@code outInterface}
 */
public record MasqueradeRule(IpPrefix source, String outInterface, boolean negateOut) implements FirewallRule {
    public MasqueradeRule {
        if (outInterface == null && negateOut) {
            throw new IllegalArgumentException("negateOut needs an outInterface");
        }
    }

    @Override
    public List<NftRuleText> expand() {
        return Match.commented(RuleKeys.key(this), texts());
    }

    private List<NftRuleText> texts() {
        StringBuilder sb = new StringBuilder();
        Match.saddr(sb, source);
        Match.oif(sb, outInterface, negateOut);
        return List.of(new NftRuleText(NftLayout.POSTROUTING, sb.append("masquerade").toString()));
    }

    @Override
    public boolean needsForwarding() {
        return true;
    }

    @Override
    public String describe() {
        return "masquerade " + expand().get(0).text();
    }
}
