package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.value.InterfaceName;
import java.util.function.Consumer;

/**
 * Builds a veth pair. The natural path is the fast one: the peer is born inside its namespace with
 * its final name, MTU, MAC, master and state, all in one RTM_NEWLINK.
 *
 * <pre>{@code
 * host.veth("veth-h1").master("br0").up()
 *     .peer("eth0", p -> p.namespace(container).up())
 *     .create();
 * }</pre>
 */
public final class VethBuilder extends LinkBuilder<VethBuilder> {
    private String peerName;
    private final VethPeer peer = new VethPeer();

    VethBuilder(Netlib netlib, String name) {
        super(netlib, name);
    }

    /** The peer's name (in its namespace). Equivalent to: {@code ip link add NAME type veth peer name PEER}. */
    public VethBuilder peer(String name) {
        this.peerName = InterfaceName.validate(name);
        return this;
    }

    /**
     * The peer's name and settings. Equivalent to:
     * {@code ip link add NAME type veth peer name PEER netns NS mtu M address MAC up}.
     */
    public VethBuilder peer(String name, Consumer<VethPeer> settings) {
        peer(name);
        settings.accept(peer);
        return this;
    }

    @Override
    void validate() {
        if (peerName == null) {
            throw new InvalidConfigException("veth " + name + " needs a peer name: call peer(\"NAME\")");
        }
        boolean sameNamespace = peer.namespace == null
                ? target == null
                : target != null && target.inode() == peer.namespace.inode()
                        || target == null && peer.namespace.inode() == netlib.namespace().inode();
        if (sameNamespace && peerName.equals(name)) {
            throw new InvalidConfigException("veth " + name + " and its peer would have the same name in one namespace; give the peer another name");
        }
    }

    @Override
    LinkKindSpec kindSpec() {
        var attrs = peer.attributes;
        if (peer.namespace != null) {
            peer.namespace.ensureOpen();
            attrs = attrs.withNetns(peer.namespace.ref());
        }
        return new VethSpec(peerName, attrs);
    }

    /** Creates both ends in one request. Equivalent to: {@code ip link add NAME ... type veth peer name PEER ...}. */
    public VethPair create() {
        var change = change();
        KernelCalls.apply(netlib.backend(), netlib.ref(), change);
        Netlib peerHome = peer.namespace != null ? netlib.in(peer.namespace) : home();
        return new VethPair(new Link(home(), name), new Link(peerHome, peerName));
    }
}
