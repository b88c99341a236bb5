package dev.netlib.etcd.internal;

import dev.netlib.error.InvalidConfigException;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.Objects;

/**
 * The connection half of a store's builder: endpoint URLs or the caller's jetcd client, and the call
 * timeout, each checked when set (the public builders delegate their setters here, so a wrong value
 * fails at the setter with the same message for both stores).
 */
public final class ConnectionSettings {
    private final String store;
    private String[] endpoints;
    private Client client;
    private Duration timeout = Duration.ofSeconds(5);

    /**
     * Empty settings, timeout 5 s.
     *
     * @param store the store's name for messages, e.g. {@code "etcd store"}
     */
    public ConnectionSettings(String store) {
        this.store = store;
    }

    /**
     * The etcd client URLs, e.g. {@code http://127.0.0.1:2379}; copied, so a caller changing its
     * array later changes nothing here.
     *
     * @param endpoints at least one URL
     * @throws InvalidConfigException when there is none
     */
    public void endpoints(String... endpoints) {
        if (endpoints == null || endpoints.length == 0) {
            throw new InvalidConfigException(store + " needs at least one endpoint URL like http://127.0.0.1:2379");
        }
        this.endpoints = endpoints.clone();
    }

    /**
     * A jetcd client the caller made (TLS, auth...) and keeps owning: the connection never closes it.
     *
     * @param client the client
     */
    public void client(Client client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * How long one call may take (also jetcd's connect timeout).
     *
     * @param timeout a positive duration
     * @throws InvalidConfigException unless it is positive
     */
    public void timeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidConfigException("etcd timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * The connection: on the caller's client when one was set, otherwise on a client built and owned
     * for the endpoints. Nothing is sent yet: jetcd connects on the first call.
     *
     * @return the connection
     * @throws InvalidConfigException when neither endpoints nor a client were set
     */
    public EtcdConnection open() {
        if (client != null) {
            return new EtcdConnection(client, false, timeout, endpoints == null ? "(caller's client)" : String.join(",", endpoints));
        }
        if (endpoints == null) {
            throw new InvalidConfigException(store + " needs endpoints(...) or client(...)");
        }
        return new EtcdConnection(Client.builder().endpoints(endpoints).connectTimeout(timeout).build(), true, timeout, String.join(",", endpoints));
    }
}
