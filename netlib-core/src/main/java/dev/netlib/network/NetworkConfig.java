package dev.netlib.network;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The definition of a network as stored: everything needed to rebuild it.
 *
 * @param id            64 hex digits, as Docker's network ids
 * @param subnet        the network's subnet (from the user or a default pool)
 * @param gateway       the gateway address (on the bridge for the bridge driver; the LAN's router for macvlan)
 * @param userSubnet    true if the user gave the subnet: only then may endpoints ask for a static address
 * @param device        the bridge's name (bridge driver) or the parent uplink (macvlan)
 * @param mtu           the MTU of the bridge and the endpoints, or null for the kernel default
 * @param icc           inter-container communication on the same network
 * @param masquerade    outbound traffic is masqueraded behind the host's address
 * @param internal      no outside access: no masquerade, no default route in the containers
 * @param defaultNetwork the pre-defined network {@code bridge}: no name resolution, no static addresses
 */
public record NetworkConfig(String name, String id, DriverKind driver, IpPrefix subnet, InetAddress gateway,
        boolean userSubnet, String device, Integer mtu, boolean icc, boolean masquerade, boolean internal,
        boolean defaultNetwork) {

    /** Checks the required fields, the name and the device name as the kernel would. */
    public NetworkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        Names.check("network", name);
        dev.netlib.value.InterfaceName.validate(device);
    }

    /** The gateway with the subnet's prefix length, as it sits on the bridge: {@code 172.18.0.1/16}. */
    public IpPrefix gatewayPrefix() {
        return IpPrefix.of(gateway, subnet.length());
    }

    /** Containers resolve each other by name only on user-defined networks (Docker's rule). */
    public boolean resolvesNames() {
        return !defaultNetwork;
    }

    String encode() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("id", id);
        f.put("driver", driver.word());
        f.put("subnet", subnet.toString());
        f.put("gateway", IpAddresses.format(gateway));
        f.put("userSubnet", Boolean.toString(userSubnet));
        f.put("device", device);
        f.put("mtu", mtu == null ? null : mtu.toString());
        f.put("icc", Boolean.toString(icc));
        f.put("masquerade", Boolean.toString(masquerade));
        f.put("internal", Boolean.toString(internal));
        f.put("default", Boolean.toString(defaultNetwork));
        return Text.encode(f);
    }

    static NetworkConfig decode(String key, String text) {
        return Text.decoding(key, () -> {
            Map<String, String> f = Text.decode(key, text);
            return new NetworkConfig(Text.require(f, key, "name"), Text.require(f, key, "id"),
                DriverKind.parse(Text.require(f, key, "driver")), IpPrefix.parseSubnet(Text.require(f, key, "subnet")),
                IpAddresses.parse(Text.require(f, key, "gateway")), Boolean.parseBoolean(f.get("userSubnet")),
                Text.require(f, key, "device"), f.get("mtu") == null ? null : Integer.valueOf(f.get("mtu")),
                Boolean.parseBoolean(f.getOrDefault("icc", "true")), Boolean.parseBoolean(f.getOrDefault("masquerade", "true")),
                Boolean.parseBoolean(f.get("internal")), Boolean.parseBoolean(f.get("default")));
        });
    }
}
