package dev.netlib.network;

import dev.netlib.Namespace;
import java.util.List;

/** A handle on a defined network. Obtained from {@link Networks}. */
public final class Network {
    private final Ops ops;
    private final NetworkConfig config;

    Network(Ops ops, NetworkConfig config) {
        this.ops = ops;
        this.config = config;
    }

    /** The network's name. */
    public String name() {
        return config.name();
    }

    /** The network's id (64 hex digits, as Docker makes them). */
    public String id() {
        return config.id();
    }

    /** The definition as stored when this handle was made. */
    public NetworkConfig config() {
        return config;
    }

    /** Equivalent to: {@code docker network connect NAME CONTAINER}. */
    public Endpoint connect(Namespace container) {
        return endpoint(container).connect();
    }

    /** A connection with options (static address, aliases, ports). Equivalent to: {@code docker network connect [OPTIONS] NAME CONTAINER}. */
    public EndpointBuilder endpoint(Namespace container) {
        return new EndpointBuilder(ops, config.name(), container);
    }

    /** Equivalent to: {@code docker network disconnect NAME CONTAINER}. */
    public void disconnect(String container) {
        ops.endpoints().disconnect(config.name(), container);
    }

    /** The endpoints now attached. Equivalent to: the {@code Containers} of {@code docker network inspect NAME}. */
    public List<Endpoint> endpoints() {
        return ops.host().stateOf(config).endpoints(config.name()).stream().map(e -> new Endpoint(ops, e)).toList();
    }

    /** Equivalent to: {@code docker network inspect NAME}. */
    public NetworkInspection inspect() {
        return ops.networks().inspect(config.name());
    }

    /** Equivalent to: {@code docker network rm NAME}. */
    public void remove() {
        ops.networks().remove(config.name());
    }

    @Override
    public String toString() {
        return config.name() + " (" + config.driver().word() + ", " + config.subnet() + ", " + config.device() + ")";
    }
}
