package dev.netlib.overlay;

import dev.netlib.ipam.StoredFields;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A live host as registered in the store (leased).
 *
 * @param host the host
 * @param vtep its underlay address, the tunnels' endpoint
 * @param underlayMtu the MTU of its underlay device
 * @param bootId a fresh id per agent start, telling this run's keys from an earlier run's
 */
public record HostRecord(HostId host, InetAddress vtep, int underlayMtu, String bootId) {
    String encode() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("vtep", IpAddresses.format(vtep));
        f.put("underlayMtu", underlayMtu);
        f.put("bootId", bootId);
        return StoredFields.encode(f);
    }

    static HostRecord decode(String key, String hostId, String text) {
        Map<String, String> f = StoredFields.decode(key, text);
        return new HostRecord(HostId.of(hostId), IpAddresses.parse(StoredFields.require(f, key, "vtep")),
                Integer.parseInt(StoredFields.require(f, key, "underlayMtu")), StoredFields.require(f, key, "bootId"));
    }
}
