package dev.netlib.value;

import dev.netlib.error.InvalidConfigException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IP literal parsing and canonical formatting. Never resolves names: {@link
 * InetAddress#getByName} would send a DNS query for anything that is not a literal.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** Parses an IPv4 dotted quad or an IPv6 literal; anything else is an {@link InvalidConfigException}. */
    public static InetAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigException("IP address is empty; expected an IPv4 address like 10.0.0.1 or an IPv6 address like fd00::1");
        }
        String s = text.trim();
        byte[] bytes = s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
        if (bytes == null) {
            throw new InvalidConfigException("'" + text + "' is not an IP address; expected an IPv4 address like 10.0.0.1 or an IPv6 address like fd00::1");
        }
        return fromBytes(bytes);
    }

    /** The address of 4 or 16 bytes in network order. */
    public static InetAddress fromBytes(byte[] bytes) {
        try {
            if (bytes.length == 16) {
                // Inet6Address.getByAddress keeps IPv4-mapped addresses as IPv6, unlike getByAddress.
                return Inet6Address.getByAddress(null, bytes, -1);
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new InvalidConfigException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
    }

    /**
     * Whether {@code s} is made of the ASCII digits 0-9 only (not any Unicode digit, which
     * Character.isDigit and Integer.parseInt would take). A loop, not a stream: this runs on every
     * parse, from a program's first request on, where a stream pipeline's first use costs
     * milliseconds (issue 13).
     */
    static boolean isDecimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !isDecimal(p)) {
                return null;
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                return null; // leading zeros are octal to some parsers: refuse the ambiguity
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return null; // a zone (%eth0), a name, or a non-ASCII digit
            }
        }
        try {
            // Only hex digits, colons and dots reach here, so this parses a literal and never queries DNS.
            InetAddress a = InetAddress.getByName("[" + s + "]");
            byte[] b = a.getAddress();
            if (b.length == 4) { // ::ffff:a.b.c.d came back as IPv4: keep it as the IPv6 it was written as
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                return m;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The canonical text: dotted quad, or RFC 5952 (lower case, longest zero run compressed). */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** The address as an unsigned number. */
    public static BigInteger toBigInteger(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    /** The IPv4 or IPv6 address of an unsigned number. */
    public static InetAddress fromBigInteger(BigInteger value, boolean ipv6) {
        int len = ipv6 ? 16 : 4;
        byte[] raw = value.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return fromBytes(out);
    }

    /** True for an IPv6 address. */
    public static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    /** True for an IPv4 address. */
    public static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
