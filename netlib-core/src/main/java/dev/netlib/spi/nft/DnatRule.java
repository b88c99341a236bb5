package dev.netlib.spi.nft;

import dev.netlib.nat.Protocol;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A published port ({@code docker run -p [HOSTADDR:]8080:80/tcp}): connections to a host port (or a
 * range) are sent to a target address and port. Expands to
 * <ul>
 *   <li>chain published (entered from prerouting and output for local destinations, see {@link NftLayout}):
 *       {@code tcp dport 8080 dnat to 172.17.0.2:80}, or {@code ip daddr HOSTADDR tcp dport ...}
 *       when a host address is given;</li>
 *   <li>postrouting, when the target's network is known: hairpin, {@code ip saddr NET ip daddr
 *       172.17.0.2 tcp dport 80 ct status dnat masquerade}, so a container on the same bridge
 *       reaching the published port gets the reply through the host, not straight from the
 *       target (without br_netfilter the bridged reply would skip conntrack and never be un-DNATed).
 *       A container reaching its own published port also needs hairpin mode on its bridge port
 *       ({@code ip link set PORT type bridge_slave hairpin on}, a link setting, as Docker does):
 *       with br_netfilter the DNATed packet is bridged back out of the port it came in on.</li>
 * </ul>
 * A range maps one-to-one: {@code 8000-8010} to target port {@code 8000} keeps the ports (one rule);
 * to another first port it becomes one rule per port.
 *
 * @param hostAddress    only connections to this local address, or null for every local address
 * @param hairpinNetwork the subnet of the target's bridge, or null for no hairpin rule
 */
public record DnatRule(Protocol protocol, InetAddress hostAddress, int hostPortFirst, int hostPortLast,
                       InetAddress target, int targetPort, IpPrefix hairpinNetwork) implements FirewallRule {
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

    @Override
    public List<NftRuleText> expand() {
        return Match.commented(RuleKeys.key(this), texts());
    }

    private List<NftRuleText> texts() {
        List<NftRuleText> dnat = new ArrayList<>();
        List<NftRuleText> post = new ArrayList<>();
        String proto = protocol.word();
        String t = Match.addr(target);
        if (hostPortFirst == hostPortLast || hostPortFirst == targetPort) {
            String hostPorts = ports(hostPortFirst, hostPortLast);
            String to = hostPortFirst == hostPortLast ? t + ":" + targetPort : t;
            add(dnat, post, proto + " dport " + hostPorts + " dnat to " + to, ports(targetPort, targetPort + hostPortLast - hostPortFirst));
        } else {
            for (int i = 0; i <= hostPortLast - hostPortFirst; i++) {
                add(dnat, post, proto + " dport " + (hostPortFirst + i) + " dnat to " + t + ":" + (targetPort + i),
                        String.valueOf(targetPort + i));
            }
        }
        List<NftRuleText> all = new ArrayList<>(dnat);
        all.addAll(post);
        return List.copyOf(all);
    }

    private void add(List<NftRuleText> dnat, List<NftRuleText> post, String tail, String targetPorts) {
        dnat.add(new NftRuleText(NftLayout.DNAT, hostAddress != null ? "ip daddr " + Match.addr(hostAddress) + " " + tail : tail));
        if (hairpinNetwork != null) {
            post.add(new NftRuleText(NftLayout.POSTROUTING, "ip saddr " + Match.prefix(hairpinNetwork) + " ip daddr "
                    + Match.addr(target) + " " + protocol.word() + " dport " + targetPorts + " ct status dnat masquerade"));
        }
    }

    private static String ports(int first, int last) {
        return first == last ? String.valueOf(first) : first + "-" + last;
    }

    @Override
    public java.util.Set<NftChain> chains() {
        return hairpinNetwork == null ? java.util.Set.of(NftLayout.DNAT) : java.util.Set.of(NftLayout.DNAT, NftLayout.POSTROUTING);
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
