package dev.netlib.etcd.internal;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A store's connection to etcd: the jetcd client (built from endpoint URLs, or the caller's own; see
 * {@link ConnectionSettings}), the time one call may take, and the wait for a call that turns each
 * failure into the store's own exception, naming the endpoints and the operation. The cluster store
 * and the IPAM store each hold one and keep only their own logic; the messages are theirs word for
 * word from before this was shared (EtcdBuilderMessagesTest), with the store's name ({@code "etcd
 * cluster store"}, {@code "etcd store"}) where they differed.
 */
public final class EtcdConnection implements AutoCloseable {
    /** The store's exception for a failed call, from the message this class wrote and the cause. */
    @FunctionalInterface
    public interface Failure {
        /**
         * The exception to throw.
         *
         * @param message the endpoints, the operation and what went wrong
         * @param cause jetcd's or gRPC's exception, or the {@link TimeoutException} or {@link
         *     InterruptedException} of the wait
         * @return the exception the store throws
         */
        RuntimeException failed(String message, Throwable cause);
    }

    private final Client client;
    private final boolean ownsClient;
    private final Duration timeout;
    private final String endpoints;

    /** Made by {@link ConnectionSettings#open()}; {@code ownsClient}: {@link #close()} closes the client. */
    EtcdConnection(Client client, boolean ownsClient, Duration timeout, String endpoints) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.timeout = timeout;
        this.endpoints = endpoints;
    }

    /** The jetcd client, for the store's own requests. */
    public Client client() {
        return client;
    }

    /** The endpoint URLs joined by commas, or {@code (caller's client)}: for messages. */
    public String endpoints() {
        return endpoints;
    }

    /**
     * Waits at most the timeout for a call of the store.
     *
     * @param f the call's future (cancelled when the wait gives up)
     * @param what the operation for the message, e.g. {@code "read ipam/pools/x"}
     * @param failure makes the store's exception; called for every failure, so a store can tell some
     *     apart by their cause (a lease that is gone, see {@link EtcdErrors})
     * @param <T> the call's result
     * @return the call's result
     */
    public <T> T await(CompletableFuture<T> f, String what, Failure failure) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw failure.failed("etcd at " + endpoints + " did not answer within " + timeout.toMillis() + " ms to " + what
                    + " (is etcd running and reachable?)", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw failure.failed("etcd at " + endpoints + " failed to " + what + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw failure.failed("interrupted while waiting for etcd at " + endpoints + " to " + what, e);
        }
    }

    /** Closes the client if this connection built it; a caller's client stays open. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
