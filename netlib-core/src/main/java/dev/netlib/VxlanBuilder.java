package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.InterfaceName;
import java.net.InetAddress;

/**
 * Builds a VXLAN device. The destination port is always sent, 4789 (IANA, Docker) unless set:
 * Linux would otherwise pick 8472. Every other option is sent only when set, because an explicit
 * zero TTL or "nolearning" overrides the kernel's defaults.
 */
public final class VxlanBuilder extends LinkBuilder<VxlanBuilder> {
    private Integer vni;
    private InetAddress local;
    private InetAddress remote;
    private InetAddress group;
    private int port = VxlanSpec.IANA_PORT;
    private String device;
    private Boolean learning;
    private Boolean proxy;
    private Boolean l2miss;
    private Boolean l3miss;
    private Integer ttl;

    VxlanBuilder(Netlib netlib, String name) {
        super(netlib, name);
    }

    /** The VXLAN network identifier, 1..16777215. Equivalent to: {@code ip link add NAME type vxlan id VNI}. */
    public VxlanBuilder vni(int vni) {
        this.vni = Validate.range("VNI", vni, 1, VxlanSpec.MAX_VNI);
        return this;
    }

    /** Source address of the tunnel. Equivalent to: {@code ... type vxlan local ADDR}. */
    public VxlanBuilder local(String address) {
        this.local = IpAddresses.parse(address);
        return this;
    }

    /** The single remote VTEP (unicast). Equivalent to: {@code ... type vxlan remote ADDR}. */
    public VxlanBuilder remote(String address) {
        InetAddress a = IpAddresses.parse(address);
        if (a.isMulticastAddress()) {
            throw new InvalidConfigException("remote " + address + " is a multicast address; use group() for multicast");
        }
        this.remote = a;
        return this;
    }

    /** A multicast group for flooding. Equivalent to: {@code ... type vxlan group ADDR}. */
    public VxlanBuilder group(String address) {
        InetAddress a = IpAddresses.parse(address);
        if (!a.isMulticastAddress()) {
            throw new InvalidConfigException("group " + address + " is not a multicast address; use remote() for a unicast VTEP");
        }
        this.group = a;
        return this;
    }

    /** UDP destination port, 4789 unless set. Equivalent to: {@code ... type vxlan dstport PORT}. */
    public VxlanBuilder port(int port) {
        this.port = Validate.port("VXLAN port", port);
        return this;
    }

    /** The underlay device. Equivalent to: {@code ... type vxlan dev DEV}. */
    public VxlanBuilder device(String device) {
        this.device = InterfaceName.validate(device);
        return this;
    }

    /** Equivalent to: {@code ... type vxlan [no]learning}. */
    public VxlanBuilder learning(boolean enabled) {
        this.learning = enabled;
        return this;
    }

    /** ARP proxy from the FDB/neighbour table. Equivalent to: {@code ... type vxlan [no]proxy}. */
    public VxlanBuilder proxy(boolean enabled) {
        this.proxy = enabled;
        return this;
    }

    /** Netlink notifications for unknown MACs. Equivalent to: {@code ... type vxlan [no]l2miss}. */
    public VxlanBuilder l2miss(boolean enabled) {
        this.l2miss = enabled;
        return this;
    }

    /** Netlink notifications for unknown IPs. Equivalent to: {@code ... type vxlan [no]l3miss}. */
    public VxlanBuilder l3miss(boolean enabled) {
        this.l3miss = enabled;
        return this;
    }

    /** Outer TTL, 0 (inherit) to 255. Equivalent to: {@code ... type vxlan ttl TTL}. */
    public VxlanBuilder ttl(int ttl) {
        this.ttl = Validate.range("TTL", ttl, 0, 255);
        return this;
    }

    @Override
    void validate() {
        if (vni == null) {
            throw new InvalidConfigException("vxlan " + name + " needs a VNI: call vni(1..16777215)");
        }
        if (remote != null && group != null) {
            throw new InvalidConfigException("vxlan " + name + " has both remote and group; choose one (unicast remote VTEP or multicast group)");
        }
        InetAddress peer = remote != null ? remote : group;
        if (local != null && peer != null && IpAddresses.isIpv6(local) != IpAddresses.isIpv6(peer)) {
            throw new InvalidConfigException("vxlan " + name + ": local and " + (remote != null ? "remote" : "group") + " must be of the same IP family");
        }
        if (group != null && device == null) {
            throw new InvalidConfigException("vxlan " + name + ": a multicast group needs an underlay device: call device(\"eth0\")");
        }
    }

    @Override
    LinkKindSpec kindSpec() {
        return new VxlanSpec(vni, local, remote, group, port, device, learning, proxy, l2miss, l3miss, ttl);
    }

    /** Creates the device in one request. Equivalent to: {@code ip link add NAME type vxlan id VNI ... dstport PORT}. */
    public Link create() {
        var change = change();
        KernelCalls.apply(netlib.backend(), netlib.ref(), change);
        return new Link(home(), name);
    }
}
