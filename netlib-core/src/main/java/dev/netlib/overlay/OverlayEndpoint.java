package dev.netlib.overlay;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;

/**
 * An endpoint of this host on an overlay network.
 *
 * @param network the network
 * @param id the endpoint id
 * @param ip its address
 * @param mac its MAC (02:42 and the IPv4 address, so an address always maps to the same MAC)
 * @param name the container's name on the network, or null
 * @param container the container's namespace name (its hosts file gets the network's names), or null
 */
public record OverlayEndpoint(OverlayNetwork network, String id, InetAddress ip, MacAddress mac, String name, String container) {}
