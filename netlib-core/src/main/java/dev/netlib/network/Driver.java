package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NotFoundException;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.DeleteLink;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a network of one driver is built in the kernel: the network's own objects, and an endpoint's
 * interface inside a container. A driver gets the {@link HostContext} and the definitions the
 * operation computed ({@link NetworkConfig}, {@link EndpointConfig}); it names the links it will
 * create before creating them ({@link #networkLinks}, {@link #endpointLinks}) and registers the undo
 * of each kernel step in the {@link Journal}. The store, the addresses and the journal's runner are
 * the caller's. Register more drivers (overlay) with {@code Networks.Builder#driver}.
 */
public interface Driver {
    /** The log of kernel changes, each as a working shell command. */
    Logger CHANGES = LoggerFactory.getLogger("dev.netlib.changes");

    /** Where a driver's networks are defined. */
    enum Scope {
        /** On this host only: records and addresses in the host's store. */
        LOCAL,
        /** Across hosts: records and addresses in the store every host shares (e.g. etcd). */
        GLOBAL
    }

    /** Where this driver's networks are defined; default {@link Scope#LOCAL}. */
    default Scope scope() {
        return Scope.LOCAL;
    }

    /** Checks the definition against the host before anything is changed (device names, parent link). */
    void validate(HostContext ctx, NetworkConfig n);

    /** The links {@link #create} will make for the network (e.g. the bridge), named before they exist. */
    List<KernelLink> networkLinks(NetworkConfig n);

    /** Creates the network's kernel objects and rules. Equivalent to: e.g. {@code ip link add br-ID type bridge}. */
    void create(HostContext ctx, NetworkConfig n, Journal j);

    /**
     * Finishes the network once its record is stored, still inside its creation (undone with it):
     * the work that depends on the host's other networks. A network another process creates at the
     * same moment is not among the records {@link #create} reads; of two such creations at least one
     * sees the other's record here, because each stores its own record before this read. Default:
     * nothing. Equivalent to: e.g. {@code nft add element ip netlib isolated '{ "br-a" . "br-b", "br-b" . "br-a" }'}.
     */
    default void created(HostContext ctx, NetworkConfig n, Journal j) {}

    /**
     * The part of a removal that can be undone, journaled (e.g. the network's rules), after its
     * record is deleted and before its subnet is given back: a failure here puts the record back
     * while the subnet is still the network's. Default: nothing. Equivalent to: e.g. {@code nft delete
     * element ip netlib masquerading '{ 172.18.0.0/16 . "br-ID" }'}.
     */
    default void removeUndoable(HostContext ctx, NetworkConfig n, Journal j) {}

    /**
     * Removes the network's kernel objects; called last in a removal, after its subnet is given back
     * and everything else that can be undone, because this cannot (a bridge deleted with its ports'
     * state is not put back as it was). Equivalent to: e.g. {@code ip link del br-ID}.
     */
    void remove(HostContext ctx, NetworkConfig n, Journal j);

    /** The name of the endpoint's host-side interface, if the driver has one (else null). */
    String hostInterfaceName(String endpointId);

    /**
     * The links {@link #attach} will make for an endpoint, named before they exist (and before its
     * address is known): from its id, the container's namespace name (null if anonymous) and its
     * interface name inside. A veth's peer in the container is named beside its host end: not to be
     * deleted (the host end takes it along), but so that no other operation's roll-back takes the
     * container's {@code ethN} for a leftover while this one is under way (see Reconciler).
     */
    List<KernelLink> endpointLinks(String endpointId, String netnsName, String ifName);

    /**
     * Creates the endpoint's interface in the container with its address (and the default route if
     * it is the endpoint's job); {@code loDown}: the container's {@code lo} is down and comes up too.
     * Equivalent to: e.g. {@code ip link add vethX master BR type veth peer name eth0 netns NS}.
     */
    void attach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j);

    /**
     * Removes the endpoint's interface; {@code container} is null when the namespace is gone or
     * cannot be opened. Equivalent to: e.g. {@code ip link del vethX}.
     */
    void detach(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container);

    /** What is missing from the kernel for the network to work; empty when all is there. */
    List<Missing> check(HostContext ctx, NetworkConfig n);

    /**
     * One thing {@link #check} finds missing: in words for the report, and the rule when it is a
     * rule of netlib's table. A rule can be two networks' at once (the isolation between them, which
     * the check of each wants), so reconcile reports and repairs each missing rule once.
     *
     * @param problem what is missing, in words (e.g. "bridge br-ID is missing")
     * @param rule the missing rule, or null when the problem is not a rule
     */
    record Missing(String problem, NatRule rule) {
        /** A missing kernel object (a device, an address), in words. */
        public static Missing object(String problem) {
            return new Missing(problem, null);
        }

        /** A rule of netlib's table that is not installed. */
        public static Missing rule(NatRule rule) {
            return new Missing("rule '" + rule + "' is missing", rule);
        }
    }

    /** Brings back the network's missing kernel objects (reconcile); fails if they are not netlib's to create. */
    void repairNetwork(HostContext ctx, NetworkConfig n, Journal j);

    /** Brings back an endpoint whose interface is missing or detached (reconcile). */
    default void repairEndpoint(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container, Journal j) {
        attach(ctx, n, e, container, ctx.loDown(container), j);
    }

    /** True if the endpoint's interface is there (and attached where it belongs). */
    boolean endpointPresent(HostContext ctx, NetworkConfig n, EndpointConfig e, Namespace container);

    /**
     * Links of the network's among {@code hostLinks} (a dump of the host namespace taken before the
     * store was read) that no endpoint in {@code ownedHostLinks} owns (e.g. veths left on a bridge);
     * reconcile deletes them. Default: none.
     */
    default List<String> strayLinks(NetworkConfig n, List<dev.netlib.model.LinkInfo> hostLinks, java.util.Set<String> ownedHostLinks) {
        return List.of();
    }

    /**
     * False if the endpoint lives on another host (networks of global scope share one store), so
     * reconcile on this host must neither repair nor forget it. Default: true.
     */
    default boolean isLocal(HostContext ctx, NetworkConfig n, EndpointConfig e) {
        return true;
    }

    /** Docker's driver options shown by {@code docker network inspect}. */
    Map<String, String> options(NetworkConfig n);

    /**
     * Deletes a link without looking it up first; a missing link is not an error.
     * Equivalent to: {@code ip link del NAME}.
     */
    static void deleteLink(Netlib ns, String name) {
        DeleteLink change = new DeleteLink(name);
        if (CHANGES.isDebugEnabled()) {
            CHANGES.debug("{}", Commands.of(ns.namespace().ref(), change));
        }
        try {
            ns.backend().apply(ns.namespace().ref(), change);
        } catch (NotFoundException e) {
            // already gone: e.g. its namespace was deleted, or a veth twin took it along
        }
    }
}
