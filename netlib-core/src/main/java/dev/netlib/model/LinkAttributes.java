package dev.netlib.model;

import dev.netlib.value.MacAddress;

/**
 * The generic attributes of a link that can be set at creation or changed later. A null field was
 * not set and is not sent. {@code netns} is the namespace the link is created in or moved to.
 * {@code hairpin} is the bridge port flag IFLA_BRPORT_MODE of a link enslaved to a bridge (a frame
 * may leave by the port it came in on); {@code learning} the port flag IFLA_BRPORT_LEARNING (the
 * bridge learns source MACs seen on the port; on by default in the kernel, new_nbp() BR_LEARNING).
 */
public record LinkAttributes(
        Integer mtu,
        MacAddress mac,
        Boolean up,
        String master,
        Integer group,
        NetnsRef netns,
        Integer txQueueLength,
        Ipv6AddrGenMode addrGenMode,
        Boolean hairpin,
        Boolean learning) {

    /** No attribute set. */
    public static final LinkAttributes NONE = new LinkAttributes(null, null, null, null, null, null, null, null, null, null);

    /** A copy with IFLA_MTU set (null: not sent). */
    public LinkAttributes withMtu(Integer v) {
        return new LinkAttributes(v, mac, up, master, group, netns, txQueueLength, addrGenMode, hairpin, learning);
    }

    /** A copy with IFLA_ADDRESS set (null: not sent). */
    public LinkAttributes withMac(MacAddress v) {
        return new LinkAttributes(mtu, v, up, master, group, netns, txQueueLength, addrGenMode, hairpin, learning);
    }

    /** A copy with the up flag set (null: not sent). */
    public LinkAttributes withUp(Boolean v) {
        return new LinkAttributes(mtu, mac, v, master, group, netns, txQueueLength, addrGenMode, hairpin, learning);
    }

    /** A copy with the master link's name set (null: not sent). */
    public LinkAttributes withMaster(String v) {
        return new LinkAttributes(mtu, mac, up, v, group, netns, txQueueLength, addrGenMode, hairpin, learning);
    }

    /** A copy with IFLA_GROUP set (null: not sent). */
    public LinkAttributes withGroup(Integer v) {
        return new LinkAttributes(mtu, mac, up, master, v, netns, txQueueLength, addrGenMode, hairpin, learning);
    }

    /** A copy with the target namespace (IFLA_NET_NS_FD) set (null: not sent). */
    public LinkAttributes withNetns(NetnsRef v) {
        return new LinkAttributes(mtu, mac, up, master, group, v, txQueueLength, addrGenMode, hairpin, learning);
    }

    /** A copy with IFLA_TXQLEN set (null: not sent). */
    public LinkAttributes withTxQueueLength(Integer v) {
        return new LinkAttributes(mtu, mac, up, master, group, netns, v, addrGenMode, hairpin, learning);
    }

    /** A copy with the IPv6 address generation mode set (null: not sent). */
    public LinkAttributes withAddrGenMode(Ipv6AddrGenMode v) {
        return new LinkAttributes(mtu, mac, up, master, group, netns, txQueueLength, v, hairpin, learning);
    }

    /** With the bridge port's hairpin flag set (true) or cleared (false). */
    public LinkAttributes withHairpin(Boolean v) {
        return new LinkAttributes(mtu, mac, up, master, group, netns, txQueueLength, addrGenMode, v, learning);
    }

    /** With the bridge port's learning flag set (true) or cleared (false). */
    public LinkAttributes withLearning(Boolean v) {
        return new LinkAttributes(mtu, mac, up, master, group, netns, txQueueLength, addrGenMode, hairpin, v);
    }

    /** True if a bridge port flag (hairpin, learning) is set: sent as bridge_slave data, which needs a master. */
    public boolean hasBridgePortFlags() {
        return hairpin != null || learning != null;
    }

    /** True if no attribute is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }
}
