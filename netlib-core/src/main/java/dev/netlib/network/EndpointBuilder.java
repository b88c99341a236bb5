package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A connection of a container to a network being described; inert until {@link #connect()}.
 * Obtained from {@link Networks#endpoint(String, Namespace)}.
 */
public final class EndpointBuilder {
    private final Ops ops;
    private final String network;
    private final Namespace container;
    private String name;
    private InetAddress ip;
    private MacAddress mac;
    private final List<String> aliases = new ArrayList<>();
    private final List<PortMapping> ports = new ArrayList<>();

    EndpointBuilder(Ops ops, String network, Namespace container) {
        this.ops = ops;
        this.network = Names.check("network", network);
        this.container = Objects.requireNonNull(container, "container namespace");
        this.name = container.name().orElse(null);
    }

    /** The container's name; default the namespace's name. Peers on user-defined networks resolve it. Equivalent to: {@code docker run --name NAME}. */
    public EndpointBuilder name(String name) {
        this.name = Names.check("container", name);
        return this;
    }

    /** A static address; only on networks whose subnet the user configured. Equivalent to: {@code docker network connect --ip IP}. */
    public EndpointBuilder ip(String address) {
        InetAddress a = IpAddresses.parse(address);
        if (!IpAddresses.isIpv4(a)) {
            throw new InvalidConfigException("address " + address + " is IPv6; endpoints are IPv4 for now");
        }
        this.ip = a;
        return this;
    }

    /** The MAC; default derived from the address (02:42 and the four address bytes). Equivalent to: {@code --mac-address}. */
    public EndpointBuilder mac(String mac) {
        MacAddress m = MacAddress.parse(mac);
        if (m.isMulticast() || m.isZero()) {
            throw new InvalidConfigException("MAC " + mac + " cannot be an interface's address; use a unicast, non-zero MAC");
        }
        this.mac = m;
        return this;
    }

    /** Another name peers resolve to this endpoint (on this network). Equivalent to: {@code docker network connect --alias NAME}. */
    public EndpointBuilder alias(String alias) {
        aliases.add(Names.check("alias", alias));
        return this;
    }

    /** Publishes a port, Docker's {@code -p} syntax: {@code 8080:80}, {@code 53:53/udp}, {@code 8000-8010:8000-8010}. Equivalent to: {@code docker run -p SPEC}. */
    public EndpointBuilder publish(String spec) {
        ports.add(PortMapping.parse(spec)); // parsed once, now, before anything is changed
        return this;
    }

    /**
     * Connects, all or nothing: address lease, interface (ethN) inside the container with address,
     * MAC and (on its first network) the default route, published ports, definition, hosts files.
     *
     * <p>Equivalent to: {@code docker network connect NETWORK CONTAINER}, i.e. {@code ip link add vethX
     * master BRIDGE up type veth peer name ethN netns NS address MAC up}, {@code ip -n NS addr add
     * IP/LEN dev ethN}, {@code ip -n NS route add default via GATEWAY}.
     */
    public Endpoint connect() {
        if (name == null) {
            throw new InvalidConfigException("the container namespace " + container + " has no name; give the endpoint one with name(\"...\")");
        }
        // a name taken from the namespace has not been checked yet: Docker's rule, before anything is built
        Names.check("container", name);
        return new Endpoint(ops, ops.endpoints().connect(new EndpointRequest(network, container, name, ip, mac, aliases, ports)));
    }
}
