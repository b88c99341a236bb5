package dev.netlib.overlay;

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
        return Fields.encode(f);
    }

    static HostRecord decode(String key, String hostId, String text) {
        Map<String, String> f = Fields.decode(key, text);
        return new HostRecord(HostId.of(hostId), IpAddresses.parse(Fields.require(f, key, "vtep")),
                Integer.parseInt(Fields.require(f, key, "underlayMtu")), Fields.require(f, key, "bootId"));
    }
}
