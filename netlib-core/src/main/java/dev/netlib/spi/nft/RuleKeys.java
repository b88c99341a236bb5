package dev.netlib.spi.nft;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/**
 * A rule's identity as one line of words, stored by the Linux backend as the comment of each of
 * its kernel rules ({@code comment "netlib dnat tcp - 8080 8080 172.17.0.2 80 172.17.0.0/16"}) so a
 * later process can read netlib's table back into rules ({@link #parse}). {@code -} stands for
 * "not set". At most 128 bytes, nft's comment limit.
 */
public final class RuleKeys {
    /** Every key starts with this word, so netlib's comments are recognisable in {@code nft list}. */
    public static final String PREFIX = "netlib ";
    /** After {@link #PREFIX}, the word of a shared element's comment ({@link #sharedComment}): not a rule kind. */
    private static final String SHARED = "shared ";

    private RuleKeys() {}

    /** The key that identifies {@code rule} among netlib's rules (what its kernel rules carry as their comment). */
    public static String key(FirewallRule rule) {
        if (rule instanceof MasqueradeRule m) {
            return PREFIX + "masq " + opt(m.source()) + " " + opt(m.outInterface()) + " " + (m.negateOut() ? 1 : 0);
        } else if (rule instanceof SnatRule s) {
            return PREFIX + "snat " + opt(s.source()) + " " + opt(s.outInterface()) + " " + (s.negateOut() ? 1 : 0) + " " + IpAddresses.format(s.to());
        } else if (rule instanceof DnatRule d) {
            return PREFIX + "dnat " + d.protocol().word() + " " + (d.hostAddress() == null ? "-" : IpAddresses.format(d.hostAddress())) + " "
                    + d.hostPortFirst() + " " + d.hostPortLast() + " " + IpAddresses.format(d.target()) + " " + d.targetPort() + " "
                    + opt(d.hairpinNetwork());
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

    /**
     * The comment of a shared element ({@link NftElement#shared()}: a hairpin masquerade that every
     * port published to one target port needs): how many installed rules use it. A count, not a list
     * of keys, as a comment holds at most 256 bytes (NFT_USERDATA_MAXLEN); it is not a rule key.
     *
     * @param users the rules that use the element, at least 1
     * @return the comment, e.g. {@code netlib shared 2}
     */
    public static String sharedComment(int users) {
        if (users < 1) {
            throw new IllegalArgumentException("a shared element has at least one user, got " + users);
        }
        return PREFIX + SHARED + users;
    }

    /**
     * How many installed rules use the shared element whose comment is {@code comment}: 0 when
     * there is no element (null), the count of {@link #sharedComment}, and 1 for any other comment
     * (netlib wrote the key of the rule that added the element before it counted, and another
     * tool's element counts as one user so that netlib never deletes it by mistake of arithmetic).
     */
    public static int sharedUsers(String comment) {
        if (comment == null) {
            return 0;
        }
        if (comment.startsWith(PREFIX + SHARED)) {
            try {
                return Math.max(1, Integer.parseInt(comment.substring((PREFIX + SHARED).length()).trim()));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 1;
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
                    need(w, 8, key);
                    InetAddress host = "-".equals(w[2]) ? null : IpAddresses.parse(w[2]);
                    yield new DnatRule(Protocol.parse(w[1]), host, Integer.parseInt(w[3]), Integer.parseInt(w[4]), IpAddresses.parse(w[5]),
                            Integer.parseInt(w[6]), prefix(w[7]));
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
