package dev.netlib.overlay;

import dev.netlib.ipam.StoredFields;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An endpoint as its host announces it to the others (leased to that host): what a peer needs to
 * reach it (a neighbour entry IP to MAC, an FDB entry MAC to VTEP) and to resolve its name.
 *
 * @param network the network id
 * @param endpoint the endpoint id
 * @param host the owning host
 * @param vtep the owning host's VTEP
 * @param ip the endpoint's address
 * @param mac the endpoint's MAC
 * @param name the container's name on the network (may be null)
 * @param bootId the owner's boot id
 * @param aliases the endpoint's further names on the network (stored comma-separated; Docker's name
 *     rules allow no comma), resolvable on every host like the name
 */
public record EndpointAdvert(String network, String endpoint, HostId host, InetAddress vtep, InetAddress ip, MacAddress mac,
        String name, String bootId, List<String> aliases) {
    /** Copies the aliases (null: none). */
    public EndpointAdvert {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** The names the endpoint resolves by on the network: its name (if any), then its aliases. */
    public List<String> names() {
        List<String> out = new java.util.ArrayList<>();
        if (name != null) {
            out.add(name);
        }
        aliases.stream().filter(a -> !out.contains(a)).forEach(out::add);
        return out;
    }

    String encode() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", host.value());
        f.put("vtep", IpAddresses.format(vtep));
        f.put("ip", IpAddresses.format(ip));
        f.put("mac", mac);
        f.put("name", name);
        f.put("bootId", bootId);
        f.put("aliases", aliases.isEmpty() ? null : String.join(",", aliases));
        return StoredFields.encode(f);
    }

    static EndpointAdvert decode(String key, String network, String endpoint, String text) {
        Map<String, String> f = StoredFields.decode(key, text);
        return new EndpointAdvert(network, endpoint, HostId.of(StoredFields.require(f, key, "host")),
                IpAddresses.parse(StoredFields.require(f, key, "vtep")), IpAddresses.parse(StoredFields.require(f, key, "ip")),
                MacAddress.parse(StoredFields.require(f, key, "mac")), f.get("name"), StoredFields.require(f, key, "bootId"),
                f.get("aliases") == null ? List.of() : Arrays.asList(f.get("aliases").split(",")));
    }
}
