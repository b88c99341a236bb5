package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.spi.Ipv4Forwarding;
import dev.netlib.spi.change.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sysctls of one namespace: the net.* keys are per network namespace, so writing them inside a
 * container or simulated host never touches the machine's own. Obtained from {@link Netlib#sysctls()}.
 */
public final class Sysctls {
    private static final Logger LOG = LoggerFactory.getLogger("dev.netlib.changes");
    private final Netlib netlib;

    Sysctls(Netlib netlib) {
        this.netlib = netlib;
    }

    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("..")
                || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '/')) {
            throw new InvalidConfigException("sysctl key '" + key + "' is not allowed; use a relative key such as net.ipv4.ip_forward "
                    + "(letters, digits, '.', '_', '-', '/'; no '..')");
        }
        return key;
    }

    /** Equivalent to: {@code sysctl -n KEY} inside the namespace. */
    public String get(String key) {
        return netlib.backend().readSysctl(netlib.ref(), checkKey(key)).trim();
    }

    /** Equivalent to: {@code sysctl -w KEY=VALUE} inside the namespace. */
    public void set(String key, String value) {
        checkKey(key);
        if (value == null || value.indexOf('\n') >= 0) {
            throw new InvalidConfigException("sysctl value for " + key + " must be one line");
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}", Commands.sysctl(netlib.ref(), key, value));
        }
        netlib.backend().writeSysctl(netlib.ref(), key, value);
    }

    /**
     * Turns on IPv4 forwarding in this namespace, needed for routing containers' traffic, and says so
     * in the log. Equivalent to: {@code sysctl -w net.ipv4.ip_forward=1}.
     */
    public void enableIpv4Forwarding() {
        Ipv4Forwarding.enable(netlib.backend(), netlib.ref());
    }
}
