package dev.netlib.nat;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.HairpinRule;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.spi.nft.Protocol;
import dev.netlib.spi.nft.SnatRule;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.InterfaceName;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One NAT or isolation rule of netlib's nftables table, made by the builders here and installed
 * with {@link Nat#add}. Values: equal rules are the same rule.
 *
 * <pre>{@code
 * Nat nat = host.nat();
 * nat.add(NatRule.masquerade().source("172.17.0.0/16").notOutInterface("docker0").build(),
 *         NatRule.hairpin("docker0", "172.17.0.0/16"),
 *         NatRule.publish("8080:80/tcp", "172.17.0.2"),
 *         NatRule.isolate("docker0", "br-net1"));
 * }</pre>
 */
public final class NatRule {
    private final FirewallRule spec;

    private NatRule(FirewallRule spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** Wraps a backend-level rule (e.g. one read back from {@link Nat#list()}); for this package only. */
    static NatRule of(FirewallRule spec) {
        return new NatRule(spec);
    }

    /**
     * The rule as the backend SPI sees it. Public, not hidden, for a reason: netlib's network
     * layer (another package) matches installed rules by their parts (a DNAT rule's host port, an
     * isolation rule's bridges), and tests inspect them; the rule's text ({@link #toString()}) is
     * what a user reads.
     *
     * @return the SPI rule
     */
    public FirewallRule spec() {
        return spec;
    }

    /** The nft commands that add this rule (one per set element or kernel rule), valid shell. */
    public List<String> commands() {
        List<String> c = new java.util.ArrayList<>();
        spec.elements().forEach(e -> c.add(e.addCommand()));
        spec.expand().forEach(t -> c.add(t.addCommand()));
        return List.copyOf(c);
    }

    /** Masquerade: source NAT to the outgoing interface's address. Equivalent to: {@code nft add rule ip netlib postrouting ... masquerade}. */
    public static SourceNatBuilder masquerade() {
        return new SourceNatBuilder(null);
    }

    /** SNAT to a fixed address. Equivalent to: {@code nft add rule ip netlib postrouting ... snat to ADDRESS}. */
    public static SourceNatBuilder snat(String toAddress) {
        return new SourceNatBuilder(Ports.ipv4("SNAT address", toAddress));
    }

    /** Publishes a TCP port (builder). Equivalent to: {@code nft add element ip netlib published '{ tcp . P : T . P2 }'}. */
    public static PublishBuilder tcp() {
        return new PublishBuilder(Protocol.TCP);
    }

    /** Publishes a UDP port (builder). */
    public static PublishBuilder udp() {
        return new PublishBuilder(Protocol.UDP);
    }

    /** Publishes a port of the given protocol ({@code "tcp"}, {@code "udp"}). */
    public static PublishBuilder publish(String protocol) {
        return new PublishBuilder(Protocol.parse(protocol));
    }

    /**
     * Docker's {@code -p} syntax: {@code [HOSTADDR:]HOSTPORT[-END]:PORT[-END][/tcp|udp]}, e.g.
     * {@code 8080:80}, {@code 10.0.0.1:53:53/udp}, {@code 8000-8010:8000-8010}, to {@code target}.
     */
    public static NatRule publish(String spec, String target) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidConfigException("port spec is empty; expected [HOSTADDR:]HOSTPORT:PORT[/tcp|udp] like 8080:80");
        }
        String s = spec.trim();
        Protocol proto = Protocol.TCP;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            proto = Protocol.parse(s.substring(slash + 1));
            s = s.substring(0, slash);
        }
        String[] parts = s.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidConfigException("port spec '" + spec + "' is not [HOSTADDR:]HOSTPORT:PORT[/tcp|udp]");
        }
        PublishBuilder b = new PublishBuilder(proto);
        if (parts.length == 3) {
            b.hostAddress(parts[0]);
        }
        int[] host = range("host port", parts[parts.length - 2]);
        int[] cont = range("container port", parts[parts.length - 1]);
        if (cont[1] - cont[0] != host[1] - host[0]) {
            throw new InvalidConfigException("port spec '" + spec + "': host range has " + (host[1] - host[0] + 1)
                    + " ports but container range has " + (cont[1] - cont[0] + 1) + "; they must be the same size");
        }
        return b.hostPorts(host[0], host[1]).to(target, cont[0]);
    }

    private static int[] range(String what, String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            int p = Ports.port(what, Ports.parseInt(what, text));
            return new int[] {p, p};
        }
        int a = Ports.parseInt(what, text.substring(0, dash));
        int b = Ports.parseInt(what, text.substring(dash + 1));
        Ports.range(what, a, b);
        return new int[] {a, b};
    }

    /** Traffic routed between the two bridges is dropped both ways. Equivalent to: {@code nft add element ip netlib isolated '{ "A" . "B", "B" . "A" }'}. */
    public static NatRule isolate(String bridgeA, String bridgeB) {
        InterfaceName.validate(bridgeA);
        InterfaceName.validate(bridgeB);
        if (bridgeA.equals(bridgeB)) {
            throw new InvalidConfigException("cannot isolate " + bridgeA + " from itself; to stop traffic inside one bridge use NatRule.noIcc");
        }
        return new NatRule(new IsolationRule(bridgeA, bridgeB));
    }

    /**
     * Hairpin NAT for a bridge network: a connection from {@code subnet} that was DNATed (to a port
     * published with {@link #publish}) and leaves by {@code bridge} again is masqueraded, so a
     * container reaches ports published to other containers of its bridge, and to itself when its
     * bridge port has hairpin mode on. One per network, whatever the number of ports published.
     * Equivalent to: {@code nft add element ip netlib hairpin '{ "docker0" . 172.17.0.0/16 }'}.
     *
     * @param bridge the network's bridge
     * @param subnet the network's subnet, e.g. {@code 172.17.0.0/16}
     * @return the rule
     */
    public static NatRule hairpin(String bridge, String subnet) {
        IpPrefix p = IpPrefix.parseSubnet(subnet);
        if (!p.isIpv4()) {
            throw new InvalidConfigException("hairpin subnet " + subnet + " is IPv6; netlib's NAT table is family ip (IPv4 only)");
        }
        return new NatRule(new HairpinRule(InterfaceName.validate(bridge), p));
    }

    /** Inter-container traffic inside {@code bridge} is dropped (Docker's {@code icc=false}). Equivalent to: {@code nft add element ip netlib isolated '{ "B" . "B" }'}. */
    public static NatRule noIcc(String bridge) {
        return new NatRule(new IccRule(InterfaceName.validate(bridge)));
    }

    /** A short description: {@code publish 8080 -> 172.17.0.2:80/tcp}. */
    @Override
    public String toString() {
        return spec.describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NatRule r && r.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    /** Builder of a masquerade or SNAT rule. */
    public static final class SourceNatBuilder {
        private final InetAddress to;
        private IpPrefix source;
        private String outInterface;
        private boolean negate;

        SourceNatBuilder(InetAddress to) {
            this.to = to;
        }

        /** Only traffic from this subnet ({@code 172.17.0.0/16}). */
        public SourceNatBuilder source(String subnet) {
            IpPrefix p = IpPrefix.parseSubnet(subnet);
            if (!p.isIpv4()) {
                throw new InvalidConfigException("source " + subnet + " is IPv6; netlib's NAT table is family ip (IPv4 only)");
            }
            this.source = p;
            return this;
        }

        /** Only traffic leaving through {@code name}. */
        public SourceNatBuilder outInterface(String name) {
            this.outInterface = InterfaceName.validate(name);
            this.negate = false;
            return this;
        }

        /** Traffic leaving through any interface except {@code name} (Docker: {@code oifname != "docker0"}). */
        public SourceNatBuilder notOutInterface(String name) {
            this.outInterface = InterfaceName.validate(name);
            this.negate = true;
            return this;
        }

        /** The masquerade (or, with a {@code to} address, SNAT) rule as set. */
        public NatRule build() {
            return new NatRule(to == null ? new MasqueradeRule(source, outInterface, negate) : new SnatRule(source, outInterface, negate, to));
        }
    }

    /** Builder of a published port (DNAT). */
    public static final class PublishBuilder {
        private final Protocol protocol;
        private InetAddress hostAddress;
        private int first = -1;
        private int last = -1;

        PublishBuilder(Protocol protocol) {
            this.protocol = protocol;
        }

        /** Only connections to this local address (Docker: {@code -p 10.0.0.1:8080:80}). */
        public PublishBuilder hostAddress(String address) {
            this.hostAddress = Ports.ipv4("host address", address);
            return this;
        }

        /** The host port to publish (Docker: {@code -p 8080:80}). */
        public PublishBuilder hostPort(int port) {
            Ports.port("host port", port);
            this.first = port;
            this.last = port;
            return this;
        }

        /** A range of host ports, mapped one-to-one onto as many target ports. */
        public PublishBuilder hostPorts(int first, int last) {
            Ports.range("host port", first, last);
            this.first = first;
            this.last = last;
            return this;
        }

        /** Target address and (first) port: builds the rule. */
        public NatRule to(String target, int port) {
            if (first < 0) {
                throw new InvalidConfigException("no host port given; call hostPort(P) or hostPorts(A, B) before to(...)");
            }
            Ports.port("target port", port);
            if (port + (last - first) > 65535) {
                throw new InvalidConfigException("target ports " + port + "-" + (port + last - first) + " run past 65535");
            }
            return new NatRule(new DnatRule(protocol, hostAddress, first, last, Ports.ipv4("target address", target), port));
        }

        /** Target address, same port(s) as on the host. */
        public NatRule to(String target) {
            if (first < 0) {
                throw new InvalidConfigException("no host port given; call hostPort(P) or hostPorts(A, B) before to(...)");
            }
            return to(target, first);
        }
    }
}
