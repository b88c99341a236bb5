package dev.netlib;

import dev.netlib.error.Errno;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.SetLink;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.util.List;
import java.util.Objects;

/**
 * A handle on a link by name in one namespace. Each method is one kernel request; {@link #info()}
 * reads the current state.
 */
public final class Link {
    private final Netlib netlib;
    private final String name;

    Link(Netlib netlib, String name) {
        this.netlib = netlib;
        this.name = name;
    }

    /** The link's name in its namespace. */
    public String name() {
        return name;
    }

    /** The handle of the namespace the link lives in. */
    public Netlib netlib() {
        return netlib;
    }

    /** The link's current state as the kernel reports it. Equivalent to: {@code ip -d link show dev NAME}. */
    public LinkInfo info() {
        return netlib.backend().link(netlib.ref(), name).orElseThrow(() ->
                new NotFoundException(Errno.ENODEV, "ip link show dev " + name, "no link named " + name + " in " + netlib.namespace()));
    }

    private Link set(LinkAttributes changes) {
        KernelCalls.apply(netlib.backend(), netlib.ref(), SetLink.of(name, changes));
        return this;
    }

    /** Equivalent to: {@code ip link set dev NAME up}. */
    public Link up() {
        return set(LinkAttributes.NONE.withUp(true));
    }

    /** Equivalent to: {@code ip link set dev NAME down}. */
    public Link down() {
        return set(LinkAttributes.NONE.withUp(false));
    }

    /** Equivalent to: {@code ip link set dev NAME mtu MTU}. The kernel checks the device's own MTU range. */
    public Link mtu(int mtu) {
        Validate.range("MTU", mtu, 1, Integer.MAX_VALUE);
        return set(LinkAttributes.NONE.withMtu(mtu));
    }

    /** Equivalent to: {@code ip link set dev NAME address MAC}. */
    public Link mac(MacAddress mac) {
        Validate.notNull("MAC address", mac);
        if (mac.isMulticast()) {
            throw new dev.netlib.error.InvalidConfigException("MAC " + mac + " is a multicast address; a link needs a unicast MAC");
        }
        return set(LinkAttributes.NONE.withMac(mac));
    }

    /** Equivalent to: {@code ip link set dev NAME address MAC}. */
    public Link mac(String mac) {
        return mac(MacAddress.parse(mac));
    }

    /** Enslaves the link to a bridge. Equivalent to: {@code ip link set dev NAME master BRIDGE}. */
    public Link master(String bridge) {
        InterfaceName.validate(bridge);
        return set(LinkAttributes.NONE.withMaster(bridge));
    }

    /** Equivalent to: {@code ip link set dev NAME master BRIDGE}. */
    public Link master(Link bridge) {
        return master(bridge.name());
    }

    /** Releases the link from its bridge. Equivalent to: {@code ip link set dev NAME nomaster}. */
    public Link noMaster() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new SetLink(name, LinkAttributes.NONE, null, true));
        return this;
    }

    /**
     * Turns the bridge port's learning on or off (IFLA_BRPORT_LEARNING): whether the bridge learns the
     * source MACs of frames arriving on this port. The link must be a bridge's port (the kernel applies
     * bridge_slave data through its master: EOPNOTSUPP otherwise). Read back with {@link
     * LinkInfo#bridgePort()}. Equivalent to: {@code ip link set dev NAME type bridge_slave learning on|off}.
     */
    public Link portLearning(boolean on) {
        return set(LinkAttributes.NONE.withLearning(on));
    }

    /** Equivalent to: {@code ip link set dev NAME group GROUP}. */
    public Link group(int group) {
        Validate.range("device group", group, 0, Integer.MAX_VALUE);
        return set(LinkAttributes.NONE.withGroup(group));
    }

    /**
     * Renames the link. Linux 6.2 and later rename an up link too; older kernels refuse with EBUSY
     * ({@link dev.netlib.error.BusyException}) until it is down. Equivalent to: {@code ip link set dev NAME name NEW}.
     */
    public Link rename(String newName) {
        InterfaceName.validate(newName);
        KernelCalls.apply(netlib.backend(), netlib.ref(), new SetLink(name, LinkAttributes.NONE, newName, false));
        return new Link(netlib, newName);
    }

    /**
     * Moves the link into another namespace; returns its handle there. Moving costs the kernel an
     * rcu_barrier under the RTNL lock (16-22 ms): prefer creating links where they will live.
     *
     * <p>Equivalent to: {@code ip link set dev NAME netns NS}.
     */
    public Link moveTo(Namespace target) {
        Objects.requireNonNull(target, "target namespace");
        target.ensureOpen();
        set(LinkAttributes.NONE.withNetns(target.ref()));
        return new Link(netlib.in(target), name);
    }

    /** Moves and renames in one request. Equivalent to: {@code ip link set dev NAME netns NS name NEW}. */
    public Link moveTo(Namespace target, String newName) {
        Objects.requireNonNull(target, "target namespace");
        InterfaceName.validate(newName);
        target.ensureOpen();
        KernelCalls.apply(netlib.backend(), netlib.ref(), new SetLink(name, LinkAttributes.NONE.withNetns(target.ref()), newName, false));
        return new Link(netlib.in(target), newName);
    }

    /** Adds an interface address. Equivalent to: {@code ip addr add PREFIX dev NAME}. */
    public Link addAddress(String prefix) {
        netlib.addresses().add(name, prefix);
        return this;
    }

    /** Adds an interface address. Equivalent to: {@code ip addr add PREFIX dev NAME}. */
    public Link addAddress(IpPrefix prefix) {
        netlib.addresses().add(name, prefix);
        return this;
    }

    /** The link's addresses. Equivalent to: {@code ip addr show dev NAME}. */
    public List<IpPrefix> addresses() {
        return netlib.addresses().list(name).stream().map(AddressInfo::address).toList();
    }

    /** Deletes the link (a veth's peer goes too). Equivalent to: {@code ip link del dev NAME}. */
    public void delete() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new DeleteLink(name));
    }

    @Override
    public String toString() {
        return name + " in " + netlib.namespace();
    }
}
