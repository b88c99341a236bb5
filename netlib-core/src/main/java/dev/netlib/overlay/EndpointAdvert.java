package dev.netlib.overlay;

import dev.netlib.ipam.StoredFields;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.LinkedHashMap;
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
 */
public record EndpointAdvert(String network, String endpoint, HostId host, InetAddress vtep, InetAddress ip, MacAddress mac,
        String name, String bootId) {
    String encode() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", host.value());
        f.put("vtep", IpAddresses.format(vtep));
        f.put("ip", IpAddresses.format(ip));
        f.put("mac", mac);
        f.put("name", name);
        f.put("bootId", bootId);
        return StoredFields.encode(f);
    }

    static EndpointAdvert decode(String key, String network, String endpoint, String text) {
        Map<String, String> f = StoredFields.decode(key, text);
        return new EndpointAdvert(network, endpoint, HostId.of(StoredFields.require(f, key, "host")),
                IpAddresses.parse(StoredFields.require(f, key, "vtep")), IpAddresses.parse(StoredFields.require(f, key, "ip")),
                MacAddress.parse(StoredFields.require(f, key, "mac")), f.get("name"), StoredFields.require(f, key, "bootId"));
    }
}
