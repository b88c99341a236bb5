package dev.netlib.spi.nft;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/** Renders the common matches the way {@code nft list} prints them. */
final class Match {
    private Match() {}

    static java.util.List<NftRuleText> commented(String key, java.util.List<NftRuleText> texts) {
        // a loop, not a stream: this runs in the first nf_tables call of a JVM, where a stream's
        // lambda bootstrap was a third of the call's time (issue 12)
        NftRuleText[] out = new NftRuleText[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = texts.get(i).withComment(key);
        }
        return java.util.List.of(out);
    }

    static String prefix(IpPrefix p) {
        return p.length() == p.bits() ? IpAddresses.format(p.address()) : p.network().toString();
    }

    static String addr(InetAddress a) {
        return IpAddresses.format(a);
    }

    static void saddr(StringBuilder sb, IpPrefix source) {
        if (source != null) {
            sb.append("ip saddr ").append(prefix(source)).append(' ');
        }
    }

    static void oif(StringBuilder sb, String outInterface, boolean negate) {
        if (outInterface != null) {
            sb.append("oifname ").append(negate ? "!= " : "").append('"').append(outInterface).append("\" ");
        }
    }
}
