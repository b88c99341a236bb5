package dev.netlib.overlay;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * An endpoint of this host on an overlay network.
 *
 * @param network the network
 * @param id the endpoint id
 * @param ip its address
 * @param mac its MAC (02:42 and the IPv4 address, so an address always maps to the same MAC)
 * @param name the container's name on the network, or null
 * @param container the container's namespace name (its hosts file gets the network's names), or null
 * @param aliases further names of the endpoint on the network ({@code docker network connect --alias}),
 *     announced with it; unlike the name, an alias may be shared by several endpoints
 */
public record OverlayEndpoint(OverlayNetwork network, String id, InetAddress ip, MacAddress mac, String name, String container,
        List<String> aliases) {
    /** Copies the aliases (null: none). */
    public OverlayEndpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** An endpoint without aliases. */
    public OverlayEndpoint(OverlayNetwork network, String id, InetAddress ip, MacAddress mac, String name, String container) {
        this(network, id, ip, mac, name, container, List.of());
    }
}
