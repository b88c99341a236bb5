package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NotFoundException;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.DeleteLink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a network of one driver is built in the kernel: the network's own objects, and an endpoint's
 * interface inside a container. The store, the addresses and the journal are the caller's; a driver
 * registers the undo of each kernel step it takes. Overlay will be a third implementation.
 */
sealed interface Driver permits BridgeDriver, MacvlanDriver {
    Logger CHANGES = LoggerFactory.getLogger("dev.netlib.changes");

    static Driver of(DriverKind kind) {
        return switch (kind) {
            case BRIDGE -> BridgeDriver.INSTANCE;
            case MACVLAN -> MacvlanDriver.INSTANCE;
            case OVERLAY -> throw new dev.netlib.error.InvalidConfigException("the overlay driver is not implemented yet; use bridge or macvlan");
        };
    }

    /** Checks the definition against the host before anything is changed (device names, parent link). */
    void validate(Networks ctx, NetworkConfig n);

    /** Creates the network's kernel objects and rules. */
    void create(Networks ctx, NetworkConfig n, Journal j);

    /** Removes them; called last in a removal, after everything that can be undone. */
    void remove(Networks ctx, NetworkConfig n, Journal j);

    /** The name of the endpoint's host-side interface, if the driver has one. */
    String hostInterfaceName(String endpointId);

    /**
     * Creates the endpoint's interface in the container with its address (and the default route if
     * it is the endpoint's job); {@code loDown}: the container's {@code lo} is down and comes up too.
     */
    void attach(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown, Journal j);

    /** Removes the endpoint's interface; {@code container} is null when the namespace is gone or cannot be opened. */
    void detach(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container);

    /** What is missing from the kernel for the network to work, in words; empty when all is there. */
    List<String> check(Networks ctx, NetworkConfig n);

    /** Brings back an endpoint whose interface is missing or detached (reconcile). */
    default void repairEndpoint(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container, Journal j) {
        attach(ctx, n, e, container, Networks.loDown(ctx.host().in(container)), j);
    }

    /** True if the endpoint's interface is there (and attached where it belongs). */
    boolean endpointPresent(Networks ctx, NetworkConfig n, EndpointConfig e, Namespace container);

    /** Deletes a link without looking it up first; a missing link is not an error. */
    static void deleteLink(Netlib ns, String name) {
        DeleteLink change = new DeleteLink(name);
        CHANGES.debug("{}", Commands.of(ns.namespace().ref(), change));
        try {
            ns.backend().apply(ns.namespace().ref(), change);
        } catch (NotFoundException e) {
            // already gone: e.g. its namespace was deleted, or a veth twin took it along
        }
    }
}
