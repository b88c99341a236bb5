package dev.netlib.network;

import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The definition of an endpoint (a container's interface on one network) as stored.
 *
 * @param container     the container's name (unique on the network; resolvable by peers)
 * @param netnsName     the container namespace's name under /var/run/netns, or null if anonymous
 * @param ifName        the interface inside the container: eth0, eth1...
 * @param hostIfName    the host end of the veth (bridge driver), or null
 * @param address       the container's address with the subnet's prefix length
 * @param staticAddress true if the user chose the address
 * @param ports         published ports, typed (parsed once from Docker's {@code -p} syntax)
 * @param defaultRoute  true if this endpoint's gateway is the container's default route
 */
public record EndpointConfig(String network, String container, String id, String netnsName, String ifName,
        String hostIfName, IpPrefix address, MacAddress mac, boolean staticAddress, List<String> aliases,
        List<PortMapping> ports, boolean defaultRoute) {

    /** Checks the required fields and every name that later becomes a kernel name or a path. */
    public EndpointConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
        Names.check("network", network);
        Names.check("container", container);
        dev.netlib.value.InterfaceName.validate(ifName);
        if (hostIfName != null) {
            dev.netlib.value.InterfaceName.validate(hostIfName);
        }
        if (netnsName != null) {
            Paths.checkNetnsName(netnsName);
        }
        aliases.forEach(a -> Names.check("alias", a));
        aliases = List.copyOf(aliases);
        ports = List.copyOf(ports);
    }

    EndpointConfig withPorts(List<PortMapping> newPorts) {
        return new EndpointConfig(network, container, id, netnsName, ifName, hostIfName, address, mac, staticAddress, aliases,
                newPorts, defaultRoute);
    }

    EndpointConfig withDefaultRoute(boolean value) {
        return new EndpointConfig(network, container, id, netnsName, ifName, hostIfName, address, mac, staticAddress, aliases,
                ports, value);
    }

    String encode() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("network", network);
        f.put("container", container);
        f.put("id", id);
        f.put("netns", netnsName);
        f.put("ifName", ifName);
        f.put("hostIfName", hostIfName);
        f.put("address", address.toString());
        f.put("mac", mac.toString());
        f.put("static", Boolean.toString(staticAddress));
        f.put("aliases", Text.list(aliases));
        f.put("ports", Text.list(ports.stream().map(PortMapping::toString).toList()));
        f.put("defaultRoute", Boolean.toString(defaultRoute));
        return Text.encode(f);
    }

    /** The published ports in Docker's {@code -p} syntax. */
    List<String> portSpecs() {
        return ports.stream().map(PortMapping::toString).toList();
    }

    /** The rules publishing the endpoint's ports. */
    List<dev.netlib.nat.NatRule> publishRules() {
        return ports.stream().map(p -> p.rule(address.address())).toList();
    }

    static EndpointConfig decode(String key, String text) {
        return Text.decoding(key, () -> {
            Map<String, String> f = Text.decode(key, text);
            return new EndpointConfig(Text.require(f, key, "network"), Text.require(f, key, "container"), Text.require(f, key, "id"),
                f.get("netns"), Text.require(f, key, "ifName"), f.get("hostIfName"), IpPrefix.parse(Text.require(f, key, "address")),
                MacAddress.parse(Text.require(f, key, "mac")), Boolean.parseBoolean(f.get("static")), Text.list(f.get("aliases")),
                Text.list(f.get("ports")).stream().map(PortMapping::parse).toList(), Boolean.parseBoolean(f.get("defaultRoute")));
        });
    }
}
