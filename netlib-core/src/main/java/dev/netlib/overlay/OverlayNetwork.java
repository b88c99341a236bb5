package dev.netlib.overlay;

import dev.netlib.ipam.StoredFields;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An overlay network as stored (durable, scope global: every host sees it).
 *
 * @param id the network id (12 hex digits)
 * @param name the unique name
 * @param subnet the subnet
 * @param gateway the reserved gateway address (no host carries it: overlay containers leave through eth1)
 * @param vni the VXLAN network identifier, unique in the store
 * @param mtu the MTU inside the overlay: the smallest underlay MTU of the hosts at creation, minus 50
 * @param deleting true while a removal is in progress (joins are refused)
 */
public record OverlayNetwork(String id, String name, IpPrefix subnet, InetAddress gateway, int vni, int mtu, boolean deleting) {
    /** The bridge on each host that has an endpoint on it: {@code nlb-} and the VNI in 6 hex digits. */
    public String bridgeName() {
        return String.format("nlb-%06x", vni);
    }

    /** The VXLAN device beside the bridge: {@code nlv-} and the VNI in 6 hex digits. */
    public String vxlanName() {
        return String.format("nlv-%06x", vni);
    }

    String encode() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("subnet", subnet);
        f.put("gateway", IpAddresses.format(gateway));
        f.put("vni", vni);
        f.put("mtu", mtu);
        f.put("state", deleting ? "deleting" : "active");
        return StoredFields.encode(f);
    }

    static OverlayNetwork decode(String key, String id, String text) {
        Map<String, String> f = StoredFields.decode(key, text);
        return new OverlayNetwork(id, StoredFields.require(f, key, "name"), IpPrefix.parse(StoredFields.require(f, key, "subnet")),
                IpAddresses.parse(StoredFields.require(f, key, "gateway")), Integer.parseInt(StoredFields.require(f, key, "vni")),
                Integer.parseInt(StoredFields.require(f, key, "mtu")), "deleting".equals(f.get("state")));
    }
}
