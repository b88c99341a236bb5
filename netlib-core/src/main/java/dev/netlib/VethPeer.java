package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.MacAddress;
import java.util.Objects;

/**
 * The peer end of a veth pair being built: its own attributes, and the namespace it is born in.
 * Configured inside {@link VethBuilder#peer(String, java.util.function.Consumer)}.
 */
public final class VethPeer {
    LinkAttributes attributes = LinkAttributes.NONE;
    Namespace namespace;

    VethPeer() {}

    /**
     * The namespace the peer is created in, with its final name: one request instead of a create,
     * a move (16-22 ms of kernel time under RTNL) and a rename.
     */
    public VethPeer namespace(Namespace ns) {
        this.namespace = Objects.requireNonNull(ns, "namespace");
        return this;
    }

    /** The peer's MTU. Equivalent to: {@code ip link add ... type veth peer name NAME mtu MTU}. */
    public VethPeer mtu(int mtu) {
        attributes = attributes.withMtu(Validate.mtu(mtu));
        return this;
    }

    /** The peer's MAC address: unicast and non-zero. Equivalent to: {@code ... peer name NAME address MAC}. */
    public VethPeer mac(MacAddress mac) {
        Validate.notNull("MAC address", mac);
        if (mac.isMulticast() || mac.isZero()) {
            throw new InvalidConfigException("MAC " + mac + " cannot be a link's address; use a unicast, non-zero MAC");
        }
        attributes = attributes.withMac(mac);
        return this;
    }

    /** The peer's MAC address, parsed from {@code aa:bb:cc:dd:ee:ff}; see {@link #mac(MacAddress)}. */
    public VethPeer mac(String mac) {
        return mac(MacAddress.parse(mac));
    }

    /** Brings the peer up once the pair exists (the kernel refuses IFF_UP inside the create request). Equivalent to: {@code ip link set NAME up}. */
    public VethPeer up() {
        attributes = attributes.withUp(true);
        return this;
    }

    /** A bridge in the peer's namespace to enslave the peer to. */
    public VethPeer master(String bridge) {
        attributes = attributes.withMaster(InterfaceName.validate(bridge));
        return this;
    }

    /** The peer's device group. Equivalent to: {@code ... peer name NAME group GROUP}. */
    public VethPeer group(int group) {
        attributes = attributes.withGroup(Validate.range("device group", group, 0, Integer.MAX_VALUE));
        return this;
    }

    /** The peer's transmit queue length. Equivalent to: {@code ... peer name NAME txqueuelen LENGTH}. */
    public VethPeer txQueueLength(int length) {
        attributes = attributes.withTxQueueLength(Validate.range("txqueuelen", length, 0, Integer.MAX_VALUE));
        return this;
    }

    /** See {@link LinkBuilder#ipv6LinkLocal(boolean)}. */
    public VethPeer ipv6LinkLocal(boolean enabled) {
        attributes = attributes.withAddrGenMode(enabled ? Ipv6AddrGenMode.EUI64 : Ipv6AddrGenMode.NONE);
        return this;
    }
}
