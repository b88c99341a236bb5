package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * A connection as the user described it, checked, handed from {@link EndpointBuilder} to {@link EndpointOps}.
 *
 * @param name  the container's name (checked by Docker's rule before anything is built)
 * @param ip    a static address, or null
 * @param mac   a MAC, or null for one derived from the address
 * @param ports published ports, parsed once
 */
record EndpointRequest(String network, Namespace container, String name, InetAddress ip, MacAddress mac, List<String> aliases,
        List<PortMapping> ports) {
    EndpointRequest {
        aliases = List.copyOf(aliases);
        ports = List.copyOf(ports);
    }
}
