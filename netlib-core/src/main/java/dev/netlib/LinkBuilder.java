package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.MacAddress;
import java.util.Objects;

/**
 * What every link builder shares: the generic attributes, validated as they are set, sent only if
 * set. Inert until {@code create()}, which sends one RTM_NEWLINK carrying everything.
 */
public abstract class LinkBuilder<B extends LinkBuilder<B>> {
    final Netlib netlib;
    final String name;
    LinkAttributes attributes = LinkAttributes.NONE;
    Namespace target;

    LinkBuilder(Netlib netlib, String name) {
        this.netlib = netlib;
        this.name = InterfaceName.validate(name);
    }

    @SuppressWarnings("unchecked")
    B self() {
        return (B) this;
    }

    /** Equivalent to: {@code ip link add ... mtu MTU}. */
    public B mtu(int mtu) {
        attributes = attributes.withMtu(Validate.mtu(mtu));
        return self();
    }

    /** Equivalent to: {@code ip link add ... address MAC}. */
    public B mac(MacAddress mac) {
        Validate.notNull("MAC address", mac);
        if (mac.isMulticast() || mac.isZero()) {
            throw new InvalidConfigException("MAC " + mac + " cannot be a link's address; use a unicast, non-zero MAC");
        }
        attributes = attributes.withMac(mac);
        return self();
    }

    /** Equivalent to: {@code ip link add ... address MAC}. */
    public B mac(String mac) {
        return mac(MacAddress.parse(mac));
    }

    /** Brings the link up in the same request. Equivalent to: {@code ip link add ... up}. */
    public B up() {
        attributes = attributes.withUp(true);
        return self();
    }

    /** Enslaves the new link to a bridge in the same request. Equivalent to: {@code ip link add ... master BRIDGE}. */
    public B master(String bridge) {
        attributes = attributes.withMaster(InterfaceName.validate(bridge));
        return self();
    }

    /** Equivalent to: {@code ip link add ... master BRIDGE}. */
    public B master(Link bridge) {
        return master(bridge.name());
    }

    /**
     * Hairpin mode of the new link's bridge port (needs {@link #master}): the bridge may send a frame
     * back out of the port it came in on, so a container reaches its own published port through
     * the host (Docker turns it on for every veth when it runs without its userland proxy). The
     * kernel ignores bridge port settings in a creating request, so netlib sends them right after,
     * in the same send. Equivalent to: {@code ip link set NAME type bridge_slave hairpin on}.
     */
    public B hairpin(boolean on) {
        attributes = attributes.withHairpin(on);
        return self();
    }

    /**
     * Whether the bridge learns source MACs on the new link's bridge port (needs {@link #master}; the
     * kernel's default is on). Off for a port whose peers' MACs are programmed, such as an overlay's
     * VXLAN device: a learned entry would override them. Sent like {@link #hairpin}. Equivalent to:
     * {@code ip link set NAME type bridge_slave learning off} ({@code bridge link set dev NAME learning off}).
     */
    public B portLearning(boolean on) {
        attributes = attributes.withLearning(on);
        return self();
    }

    /** Device group, for teardown of many links in one request. Equivalent to: {@code ip link add ... group N}. */
    public B group(int group) {
        attributes = attributes.withGroup(Validate.range("device group", group, 0, Integer.MAX_VALUE));
        return self();
    }

    /** Equivalent to: {@code ip link add ... txqueuelen N}. */
    public B txQueueLength(int length) {
        attributes = attributes.withTxQueueLength(Validate.range("txqueuelen", length, 0, Integer.MAX_VALUE));
        return self();
    }

    /**
     * With {@code false}, the link gets no IPv6 link-local address (addrgenmode none), so it sends
     * no DAD, router solicitation or MLD traffic. Equivalent to: {@code ip link add ... addrgenmode none}.
     */
    public B ipv6LinkLocal(boolean enabled) {
        attributes = attributes.withAddrGenMode(enabled ? Ipv6AddrGenMode.EUI64 : Ipv6AddrGenMode.NONE);
        return self();
    }

    /**
     * Creates the link directly inside another namespace (IFLA_NET_NS_FD in the same request): far
     * cheaper than creating it here and moving it. Equivalent to: {@code ip link add ... netns NS}.
     */
    public B namespace(Namespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        this.target = namespace;
        return self();
    }

    abstract LinkKindSpec kindSpec();

    /** Checks the combination of settings; the default accepts anything the setters accepted. */
    void validate() {}

    CreateLink change() {
        validate();
        if (attributes.hasBridgePortFlags() && attributes.master() == null) {
            throw new InvalidConfigException("link " + name + ": hairpin and port learning are bridge port settings; give master(BRIDGE) too");
        }
        LinkAttributes attrs = attributes;
        if (target != null) {
            target.ensureOpen();
            attrs = attrs.withNetns(target.ref());
        }
        return new CreateLink(name, attrs, kindSpec());
    }

    /** The handle the new link will be reachable through. */
    Netlib home() {
        return target == null ? netlib : netlib.in(target);
    }

    /** The {@code ip} command {@code create()} of the concrete builder stands for. */
    public String command() {
        return Commands.of(netlib.ref(), change());
    }
}
