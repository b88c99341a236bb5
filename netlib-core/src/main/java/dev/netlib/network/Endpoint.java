package dev.netlib.network;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.List;

/** A container's interface on one network. Obtained from {@link Networks#connect} and friends. */
public final class Endpoint {
    private final Ops ops;
    private final EndpointConfig config;

    Endpoint(Ops ops, EndpointConfig config) {
        this.ops = ops;
        this.config = config;
    }

    /** The endpoint's stored definition. */
    public EndpointConfig config() {
        return config;
    }

    /** The network's name. */
    public String network() {
        return config.network();
    }

    /** The container's name. */
    public String container() {
        return config.container();
    }

    /** The interface inside the container: eth0, eth1... */
    public String interfaceName() {
        return config.ifName();
    }

    /** The endpoint's address (without the prefix length). */
    public InetAddress address() {
        return config.address().address();
    }

    /** The address as text, {@code 172.18.0.2}. */
    public String ip() {
        return IpAddresses.format(config.address().address());
    }

    /** The MAC address of the container's interface. */
    public MacAddress mac() {
        return config.mac();
    }

    /** The names the container answers to on this network. */
    public List<String> aliases() {
        return config.aliases();
    }

    /** The published ports, in Docker's {@code -p} syntax. */
    public List<String> ports() {
        return config.portSpecs();
    }

    /** The published ports, typed. */
    public List<PortMapping> portMappings() {
        return config.ports();
    }

    /**
     * Publishes a port of this endpoint on the host (Docker's {@code -p} syntax: {@code 8080:80},
     * {@code 53:53/udp}); removed with the endpoint. Returns the updated endpoint.
     *
     * <p>Equivalent to: {@code nft add element ip netlib published '{ tcp . 8080 : IP . 80 }'} (the
     * containers of the network reach it through the network's own hairpin element, made with the network).
     */
    public Endpoint publish(String spec) {
        return new Endpoint(ops, ops.endpoints().publish(config.network(), config.container(), PortMapping.parse(spec)));
    }

    /** Removes a published port. Equivalent to: {@code nft delete element ip netlib published '{ tcp . 8080 }'}. */
    public Endpoint unpublish(String spec) {
        return new Endpoint(ops, ops.endpoints().unpublish(config.network(), config.container(), PortMapping.parse(spec)));
    }

    /** Equivalent to: {@code docker network disconnect NETWORK CONTAINER}. */
    public void disconnect() {
        ops.endpoints().disconnect(config.network(), config.container());
    }

    @Override
    public String toString() {
        return config.container() + " " + config.ifName() + " " + config.address() + " " + config.mac() + " on " + config.network();
    }
}
