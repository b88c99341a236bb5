package dev.netlib.ipam.etcd;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.IpamStoreException;
import dev.netlib.ipam.Versioned;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link dev.netlib.ipam.IpamStore} on etcd v3, for state shared by several hosts (IP allocations
 * of an overlay network, later network definitions).
 *
 * <p>A key's version is etcd's {@code mod_revision}: cluster-wide, increasing, never reused, so a
 * compare-and-swap is one etcd transaction {@code if mod_revision(key) == expected then put} (for
 * "absent": {@code if version(key) == 0}); etcd's Raft log orders racing hosts, and only one of two
 * transactions on the same revision can succeed. No lease or lock is held across calls.
 *
 * <p>Every call waits at most the configured timeout (default 5 s). When etcd does not answer, the
 * call fails with an {@link IpamStoreException} naming the endpoints; a failed write may or may not
 * have been applied (etcd can commit and lose the reply), which the callers' compare-and-swap loops
 * tolerate: they re-read before deciding again, so a lost reply can leak an allocation but never hand
 * one out twice.
 *
 * <p>Size: a pool is one key whose value grows by about 12 bytes plus the owner tag per allocation;
 * etcd refuses requests over {@code --max-request-bytes} (1.5 MiB by default), which with 64-character
 * container ids as owners is some 20,000 allocations in one pool. Raise that etcd setting for larger
 * pools.
 *
 * <p>Keys are stored under a namespace prefix (default {@value #DEFAULT_NAMESPACE}), so several
 * independent netlib installations (or tests) can share one etcd.
 */
public final class EtcdIpamStore implements IpamStore {
    /** The default namespace prefix of every key. */
    public static final String DEFAULT_NAMESPACE = "netlib/";

    private final Client client;
    private final boolean ownsClient;
    private final KV kv;
    private final String namespace;
    private final Duration timeout;
    private final String endpoints;

    private EtcdIpamStore(Client client, boolean ownsClient, String namespace, Duration timeout, String endpoints) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.kv = client.getKVClient();
        this.namespace = namespace;
        this.timeout = timeout;
        this.endpoints = endpoints;
    }

    /** A store on the etcd cluster at {@code endpoints} (e.g. {@code http://10.0.0.1:2379}), with defaults. */
    public static EtcdIpamStore connect(String... endpoints) {
        return builder().endpoints(endpoints).build();
    }

    /** A builder: endpoints or a client, namespace, timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The namespace prefix put before every key. */
    public String namespace() {
        return namespace;
    }

    @Override
    public Optional<Versioned> get(String key) {
        IpamStore.checkKey(key);
        GetResponse r = await(kv.get(bytes(namespace + key)), "read " + key);
        List<KeyValue> kvs = r.getKvs();
        if (kvs.isEmpty()) {
            return Optional.empty();
        }
        KeyValue v = kvs.get(0);
        return Optional.of(new Versioned(v.getValue().toString(StandardCharsets.UTF_8), v.getModRevision()));
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        IpamStore.checkKey(key);
        ByteSequence k = bytes(namespace + key);
        Cmp cmp = expectedVersion == 0
                ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion));
        TxnResponse r = await(kv.txn().If(cmp).Then(Op.put(k, bytes(value), PutOption.DEFAULT)).commit(), "write " + key);
        // The put inside a successful transaction gets the transaction's revision as mod_revision.
        return r.isSucceeded() ? OptionalLong.of(r.getHeader().getRevision()) : OptionalLong.empty();
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        IpamStore.checkKey(key);
        ByteSequence k = bytes(namespace + key);
        TxnResponse r = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .commit(), "delete " + key);
        return r.isSucceeded() && r.getDeleteResponses().stream().anyMatch(d -> d.getDeleted() > 0);
    }

    @Override
    public SortedMap<String, Versioned> list(String prefix) {
        String p = IpamStore.checkPrefix(prefix);
        GetResponse r = await(kv.get(bytes(namespace + p), GetOption.builder().isPrefix(true).build()), "list " + p + "*");
        SortedMap<String, Versioned> out = new TreeMap<>();
        for (KeyValue v : r.getKvs()) {
            String key = v.getKey().toString(StandardCharsets.UTF_8).substring(namespace.length());
            out.put(key, new Versioned(v.getValue().toString(StandardCharsets.UTF_8), v.getModRevision()));
        }
        return out;
    }

    @Override
    public String describe() {
        return "etcd store " + endpoints + " (namespace " + namespace + ")";
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IpamStoreException("etcd at " + endpoints + " did not answer within " + timeout.toMillis() + " ms to " + what
                    + " (is etcd running and reachable?)", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IpamStoreException("etcd at " + endpoints + " failed to " + what + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IpamStoreException("interrupted while waiting for etcd at " + endpoints + " to " + what, e);
        }
    }

    /** Settings of an {@link EtcdIpamStore}. */
    public static final class Builder {
        private String[] endpoints;
        private Client client;
        private String namespace = DEFAULT_NAMESPACE;
        private Duration timeout = Duration.ofSeconds(5);

        private Builder() {}

        /** The etcd client URLs, e.g. {@code http://127.0.0.1:2379}. */
        public Builder endpoints(String... endpoints) {
            if (endpoints == null || endpoints.length == 0) {
                throw new InvalidConfigException("etcd store needs at least one endpoint URL like http://127.0.0.1:2379");
            }
            this.endpoints = endpoints.clone();
            return this;
        }

        /** Uses a jetcd client the caller made (TLS, auth...) and still owns: {@link #close()} leaves it open. */
        public Builder client(Client client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The prefix before every key (default {@value DEFAULT_NAMESPACE}); must end with '/'. */
        public Builder namespace(String namespace) {
            if (namespace == null || namespace.isEmpty() || !namespace.endsWith("/")) {
                throw new InvalidConfigException("etcd namespace must be non-empty and end with '/', got " + namespace);
            }
            this.namespace = namespace;
            return this;
        }

        /** How long one etcd call may take before it fails (default 5 s). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidConfigException("etcd timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Connects to etcd with what was set. */
        public EtcdIpamStore build() {
            if (client != null) {
                return new EtcdIpamStore(client, false, namespace, timeout, endpoints == null ? "(caller's client)" : String.join(",", endpoints));
            }
            if (endpoints == null) {
                throw new InvalidConfigException("etcd store needs endpoints(...) or client(...)");
            }
            Client c = Client.builder().endpoints(endpoints).connectTimeout(timeout).build();
            return new EtcdIpamStore(c, true, namespace, timeout, String.join(",", endpoints));
        }
    }
}
