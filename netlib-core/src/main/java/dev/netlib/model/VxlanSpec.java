package dev.netlib.model;

import java.net.InetAddress;

/**
 * A VXLAN device (IFLA_VXLAN_*). Only non-null fields are sent: a zero TTL or a false learning flag
 * would override kernel defaults, so "unset" and "false/0" are different things here.
 * {@code port} is the UDP destination port (IFLA_VXLAN_PORT, sent big-endian); Linux defaults to
 * 8472, the IANA port (and Docker's) is 4789.
 */
public record VxlanSpec(
        int vni,
        InetAddress local,
        InetAddress remote,
        InetAddress group,
        Integer port,
        String device,
        Boolean learning,
        Boolean proxy,
        Boolean l2miss,
        Boolean l3miss,
        Integer ttl) implements LinkKindSpec {

    public static final int IANA_PORT = 4789;
    public static final int MAX_VNI = 0xFFFFFF;

    @Override
    public String kind() {
        return "vxlan";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.vxlan(this);
    }
}
