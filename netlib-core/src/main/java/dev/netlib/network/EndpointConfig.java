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
 * @param ports         published ports in Docker's {@code -p} syntax ({@code 8080:80/tcp})
 * @param defaultRoute  true if this endpoint's gateway is the container's default route
 */
public record EndpointConfig(String network, String container, String id, String netnsName, String ifName,
        String hostIfName, IpPrefix address, MacAddress mac, boolean staticAddress, List<String> aliases,
        List<String> ports, boolean defaultRoute) {

    public EndpointConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
        aliases = List.copyOf(aliases);
        ports = List.copyOf(ports);
    }

    EndpointConfig withPorts(List<String> newPorts) {
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
        f.put("ports", Text.list(ports));
        f.put("defaultRoute", Boolean.toString(defaultRoute));
        return Text.encode(f);
    }

    static EndpointConfig decode(String key, String text) {
        Map<String, String> f = Text.decode(key, text);
        return new EndpointConfig(Text.require(f, key, "network"), Text.require(f, key, "container"), Text.require(f, key, "id"),
                f.get("netns"), Text.require(f, key, "ifName"), f.get("hostIfName"), IpPrefix.parse(Text.require(f, key, "address")),
                MacAddress.parse(Text.require(f, key, "mac")), Boolean.parseBoolean(f.get("static")), Text.list(f.get("aliases")),
                Text.list(f.get("ports")), Boolean.parseBoolean(f.get("defaultRoute")));
    }
}
