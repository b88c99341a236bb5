package dev.netlib.spi.nft;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A published port ({@code docker run -p [HOSTADDR:]8080:80/tcp}): connections to a host port (or a
 * range) are sent to a target address and port. Made of map elements ({@link #elements()}): in map
 * {@code published}, {@code tcp . 8080 : 172.17.0.2 . 80}, or in map {@code published_addr},
 * {@code HOSTADDR . tcp . 8080 : 172.17.0.2 . 80} when a host address is given; one element per host
 * port of a range, which maps one-to-one onto as many target ports. That a container of the target's
 * bridge can reach the port too is its network's {@link HairpinRule}, not the port's.
 *
 * @param hostAddress only connections to this local address, or null for every local address
 */
public record DnatRule(Protocol protocol, InetAddress hostAddress, int hostPortFirst, int hostPortLast,
                       InetAddress target, int targetPort) implements FirewallRule {
    /** Checks ports and range. */
    public DnatRule {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(target, "target");
        checkPort(hostPortFirst);
        checkPort(hostPortLast);
        checkPort(targetPort);
        if (hostPortLast < hostPortFirst) {
            throw new IllegalArgumentException("reversed port range " + hostPortFirst + "-" + hostPortLast);
        }
        if (targetPort + (hostPortLast - hostPortFirst) > 65535) {
            throw new IllegalArgumentException("target ports " + targetPort + ".. run past 65535");
        }
    }

    private static void checkPort(int p) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 1..65535");
        }
    }

    /** Number of host ports published. */
    public int portCount() {
        return hostPortLast - hostPortFirst + 1;
    }

    /** True if this rule and {@code other} would claim the same (protocol, host address, host port). */
    public boolean conflictsWith(DnatRule other) {
        return protocol == other.protocol
                && hostPortFirst <= other.hostPortLast && other.hostPortFirst <= hostPortLast
                && (hostAddress == null || other.hostAddress == null || hostAddress.equals(other.hostAddress));
    }

    /** A published port is made of map elements only. */
    @Override
    public List<NftRuleText> expand() {
        return List.of();
    }

    /** One element per host port in {@code published} (or {@code published_addr} with a host address), commented with the rule's key. */
    @Override
    public List<NftElement> elements() {
        String key = RuleKeys.key(this);
        List<NftElement> map = new ArrayList<>(portCount());
        NftValue proto = new NftValue.Proto(protocol);
        NftValue to = new NftValue.Addr(target);
        for (int i = 0; i < portCount(); i++) {
            NftValue hostPort = new NftValue.Port(hostPortFirst + i);
            NftValue toPort = new NftValue.Port(targetPort + i);
            map.add(hostAddress == null
                    ? new NftElement(NftLayout.PUBLISHED, List.of(proto, hostPort), List.of(to, toPort), key)
                    : new NftElement(NftLayout.PUBLISHED_ADDR, List.of(new NftValue.Addr(hostAddress), proto, hostPort), List.of(to, toPort), key));
        }
        return List.copyOf(map);
    }

    private static String ports(int first, int last) {
        return first == last ? String.valueOf(first) : first + "-" + last;
    }

    @Override
    public boolean needsForwarding() {
        return true;
    }

    @Override
    public String describe() {
        return "publish " + (hostAddress == null ? "" : Match.addr(hostAddress) + ":") + ports(hostPortFirst, hostPortLast)
                + " -> " + Match.addr(target) + ":" + ports(targetPort, targetPort + hostPortLast - hostPortFirst) + "/" + protocol.word();
    }
}
