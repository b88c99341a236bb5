package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.Protocol;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A published port, parsed once from Docker's {@code -p} syntax and kept typed from the builder to
 * the store and the rule: {@code [HOSTADDR:]HOSTPORT[-END]:PORT[-END][/tcp|udp]}.
 *
 * @param protocol      tcp or udp
 * @param hostAddress   only connections to this local address, or null for every local address
 * @param hostPortFirst the first host port
 * @param hostPortLast  the last host port (the first for a single port)
 * @param containerPort the container's first port; a range maps one to one
 */
public record PortMapping(Protocol protocol, InetAddress hostAddress, int hostPortFirst, int hostPortLast, int containerPort) {
    /** Checks the ports: 1..65535, a forward range whose container side stays below 65536. */
    public PortMapping {
        Objects.requireNonNull(protocol, "protocol");
        check("host port", hostPortFirst);
        check("host port", hostPortLast);
        check("container port", containerPort);
        if (hostPortLast < hostPortFirst) {
            throw new InvalidConfigException("host port range " + hostPortFirst + "-" + hostPortLast + " is reversed");
        }
        if (containerPort + (hostPortLast - hostPortFirst) > 65535) {
            throw new InvalidConfigException("container ports from " + containerPort + " run past 65535");
        }
        if (hostAddress != null && !IpAddresses.isIpv4(hostAddress)) {
            throw new InvalidConfigException("host address " + IpAddresses.format(hostAddress) + " is IPv6; publishing is IPv4 for now");
        }
    }

    /**
     * Parses Docker's {@code -p} syntax: {@code 8080:80}, {@code 10.0.0.1:53:53/udp}, {@code 8000-8010:8000-8010}.
     * The syntax is the nat package's ({@link NatRule#publish(String, String)}); its rule is built
     * here only to read the parsed fields back (to the loopback address, never installed).
     */
    public static PortMapping parse(String spec) {
        DnatRule d = (DnatRule) NatRule.publish(spec, "127.0.0.1").spec();
        return new PortMapping(d.protocol(), d.hostAddress(), d.hostPortFirst(), d.hostPortLast(), d.targetPort());
    }

    private static void check(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidConfigException(what + " " + port + " is outside 1..65535");
        }
    }

    /** The rule that publishes this port to {@code target}. Equivalent to: {@code nft add element ip netlib published '{ tcp . P : T . P2 }'}. */
    public NatRule rule(InetAddress target) {
        NatRule.PublishBuilder b = NatRule.publish(protocol.word()).hostPorts(hostPortFirst, hostPortLast);
        if (hostAddress != null) {
            b.hostAddress(IpAddresses.format(hostAddress));
        }
        return b.to(IpAddresses.format(target), containerPort);
    }

    /** Docker's {@code -p} syntax, tcp implied: {@code 8080:80}, {@code 5353:53/udp}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (hostAddress != null) {
            sb.append(IpAddresses.format(hostAddress)).append(':');
        }
        sb.append(hostPortFirst);
        if (hostPortLast != hostPortFirst) {
            sb.append('-').append(hostPortLast);
        }
        sb.append(':').append(containerPort);
        if (hostPortLast != hostPortFirst) {
            sb.append('-').append(containerPort + hostPortLast - hostPortFirst);
        }
        return protocol == Protocol.TCP ? sb.toString() : sb.append('/').append(protocol.word()).toString();
    }
}
