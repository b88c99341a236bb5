package dev.netlib.value;

import dev.netlib.error.InvalidConfigException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

/** A 48-bit Ethernet address. */
public final class MacAddress {
    private static final Random RANDOM = new SecureRandom();
    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The MAC address of 6 bytes. */
    public static MacAddress of(byte[] bytes) {
        if (bytes == null || bytes.length != 6) {
            throw new InvalidConfigException("a MAC address has 6 bytes, not " + (bytes == null ? 0 : bytes.length));
        }
        return new MacAddress(bytes.clone());
    }

    /** Parses {@code 02:42:ac:11:00:02} (colons or dashes, either case). */
    public static MacAddress parse(String text) {
        String s = text == null ? "" : text.trim();
        String[] parts = s.split("[:-]", -1);
        if (parts.length != 6) {
            throw new InvalidConfigException("'" + text + "' is not a MAC address; expected six hex pairs like 02:42:ac:11:00:02");
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            String p = parts[i];
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new InvalidConfigException("'" + text + "' is not a MAC address; expected six hex pairs like 02:42:ac:11:00:02");
            }
            b[i] = (byte) Integer.parseInt(p, 16);
        }
        return new MacAddress(b);
    }

    /** A random locally administered unicast address (bit 1 of the first byte set, bit 0 clear). */
    public static MacAddress randomLocal() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        return new MacAddress(b);
    }

    /** Docker's derivation: 02:42 followed by the four IPv4 bytes (172.17.0.2 gives 02:42:ac:11:00:02). */
    public static MacAddress fromIpv4(InetAddress ipv4) {
        if (!(ipv4 instanceof Inet4Address)) {
            throw new InvalidConfigException("a MAC is derived from an IPv4 address, not " + IpAddresses.format(ipv4));
        }
        byte[] a = ipv4.getAddress();
        return new MacAddress(new byte[] {0x02, 0x42, a[0], a[1], a[2], a[3]});
    }

    public static final MacAddress ZERO = new MacAddress(new byte[6]);

    /** A copy of the 6 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** True if the group bit (the lowest bit of the first byte) is set. */
    public boolean isMulticast() {
        return (bytes[0] & 0x01) != 0;
    }

    /** True if the locally administered bit is set (as in the MACs netlib and the kernel make up). */
    public boolean isLocallyAdministered() {
        return (bytes[0] & 0x02) != 0;
    }

    /** True for 00:00:00:00:00:00. */
    public boolean isZero() {
        for (byte x : bytes) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return sb.toString();
    }
}
