package dev.netlib.spi.nft;

import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Source NAT to a fixed address: {@code ip saddr 10.1.0.0/24 oifname "eth0" snat to 192.0.2.7}.
 *
 * @param source       match only these source addresses, or null for any
 * @param outInterface match the outgoing interface name, or null for any
 * @param negateOut    true: every interface except {@code outInterface}
 * @param to           the new source address
 */
public record SnatRule(IpPrefix source, String outInterface, boolean negateOut, InetAddress to) implements FirewallRule {
    public SnatRule {
        Objects.requireNonNull(to, "to");
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
        sb.append("snat to ").append(Match.addr(to));
        return List.of(new NftRuleText(NftLayout.POSTROUTING, sb.toString()));
    }

    @Override
    public boolean needsForwarding() {
        return true;
    }

    @Override
    public String describe() {
        return expand().get(0).text();
    }
}
