package dev.netlib.spi.nft;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/**
 * A rule's identity as one line of words, stored by the Linux backend as the comment of each of
 * its kernel rules ({@code comment "netlib dnat tcp - 8080 8080 172.17.0.2 80"}) so a
 * later process can read netlib's table back into rules ({@link #parse}). {@code -} stands for
 * "not set". At most 128 bytes, nft's comment limit.
 */
public final class RuleKeys {
    /** Every key starts with this word, so netlib's comments are recognisable in {@code nft list}. */
    public static final String PREFIX = "netlib ";

    private RuleKeys() {}

    /** The key that identifies {@code rule} among netlib's rules (what its kernel rules carry as their comment). */
    public static String key(FirewallRule rule) {
        if (rule instanceof MasqueradeRule m) {
            return PREFIX + "masq " + opt(m.source()) + " " + opt(m.outInterface()) + " " + (m.negateOut() ? 1 : 0);
        } else if (rule instanceof SnatRule s) {
            return PREFIX + "snat " + opt(s.source()) + " " + opt(s.outInterface()) + " " + (s.negateOut() ? 1 : 0) + " " + IpAddresses.format(s.to());
        } else if (rule instanceof DnatRule d) {
            return PREFIX + "dnat " + d.protocol().word() + " " + (d.hostAddress() == null ? "-" : IpAddresses.format(d.hostAddress())) + " "
                    + d.hostPortFirst() + " " + d.hostPortLast() + " " + IpAddresses.format(d.target()) + " " + d.targetPort();
        } else if (rule instanceof HairpinRule h) {
            return PREFIX + "hairpin " + h.bridge() + " " + h.network();
        } else if (rule instanceof IsolationRule i) {
            return PREFIX + "isolate " + i.bridgeA() + " " + i.bridgeB();
        } else if (rule instanceof IccRule c) {
            return PREFIX + "noicc " + c.bridge();
        }
        throw new IllegalArgumentException("unknown rule " + rule);
    }

    private static String opt(Object o) {
        return o == null ? "-" : o instanceof IpPrefix p ? p.toString() : o.toString();
    }

    /** The rule a key describes; {@link InvalidConfigException} if it is not one {@link #key} writes. */
    public static FirewallRule parse(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            throw new InvalidConfigException("'" + key + "' is not a netlib rule key");
        }
        String[] w = key.substring(PREFIX.length()).trim().split(" ");
        try {
            return switch (w[0]) {
                case "masq" -> {
                    need(w, 4, key);
                    yield new MasqueradeRule(prefix(w[1]), str(w[2]), "1".equals(w[3]));
                }
                case "snat" -> {
                    need(w, 5, key);
                    yield new SnatRule(prefix(w[1]), str(w[2]), "1".equals(w[3]), IpAddresses.parse(w[4]));
                }
                case "dnat" -> {
                    need(w, 7, key);
                    InetAddress host = "-".equals(w[2]) ? null : IpAddresses.parse(w[2]);
                    yield new DnatRule(Protocol.parse(w[1]), host, Integer.parseInt(w[3]), Integer.parseInt(w[4]), IpAddresses.parse(w[5]),
                            Integer.parseInt(w[6]));
                }
                case "hairpin" -> {
                    need(w, 3, key);
                    yield new HairpinRule(w[1], IpPrefix.parseSubnet(w[2]));
                }
                case "isolate" -> {
                    need(w, 3, key);
                    yield new IsolationRule(w[1], w[2]);
                }
                case "noicc" -> {
                    need(w, 2, key);
                    yield new IccRule(w[1]);
                }
                default -> throw new InvalidConfigException("'" + key + "' is not a netlib rule key");
            };
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) { // NumberFormatException too
            throw new InvalidConfigException("'" + key + "' is not a valid netlib rule key: " + e.getMessage(), e);
        }
    }

    private static void need(String[] w, int n, String key) {
        if (w.length != n) {
            throw new InvalidConfigException("'" + key + "' has " + w.length + " words, expected " + n);
        }
    }

    private static IpPrefix prefix(String s) {
        return "-".equals(s) ? null : IpPrefix.parseSubnet(s);
    }

    private static String str(String s) {
        return "-".equals(s) ? null : s;
    }
}
