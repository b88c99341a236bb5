package dev.netlib.nat;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;

/** Input checks shared by the builders: every message says what is allowed. */
final class Ports {
    private Ports() {}

    static int port(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidConfigException(what + " " + port + " is out of range; allowed 1..65535");
        }
        return port;
    }

    static void range(String what, int first, int last) {
        port(what, first);
        port(what, last);
        if (last < first) {
            throw new InvalidConfigException(what + " range " + first + "-" + last + " is reversed; write it as " + last + "-" + first);
        }
    }

    static InetAddress ipv4(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigException(what + " is empty; expected an IPv4 address like 172.17.0.2");
        }
        InetAddress a = IpAddresses.parse(text.trim());
        if (!IpAddresses.isIpv4(a)) {
            throw new InvalidConfigException(what + " " + text + " is IPv6; netlib's NAT table is family ip (IPv4 only)");
        }
        return a;
    }

    static int parseInt(String what, String text) {
        if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(Character::isDigit)) {
            throw new InvalidConfigException(what + " '" + text + "' is not a number; allowed 1..65535");
        }
        return Integer.parseInt(text);
    }
}
