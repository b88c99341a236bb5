package dev.netlib.spi;

import dev.netlib.model.NetnsRef;
import dev.netlib.spi.change.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches on {@code net.ipv4.ip_forward} in a namespace when routing needs it, and says so in
 * the log: the one place that does it for {@code Sysctls} and the NAT layer.
 */
public final class Ipv4Forwarding {
    private static final String KEY = "net.ipv4.ip_forward";
    private static final Logger CHANGES = LoggerFactory.getLogger("dev.netlib.changes");
    private static final Logger LOG = LoggerFactory.getLogger(Ipv4Forwarding.class);

    private Ipv4Forwarding() {}

    /**
     * Writes 1 unless it is 1 already. Equivalent to: {@code sysctl -w net.ipv4.ip_forward=1}.
     *
     * @param backend the backend
     * @param ns the namespace
     */
    public static void enable(Backend backend, NetnsRef ns) {
        if (!"1".equals(backend.readSysctl(ns, KEY).trim())) {
            LOG.info("enabling {} in {}", KEY, ns.describe());
            if (CHANGES.isDebugEnabled()) {
                CHANGES.debug("{}", Commands.sysctl(ns, KEY, "1"));
            }
            backend.writeSysctl(ns, KEY, "1");
        }
    }
}
