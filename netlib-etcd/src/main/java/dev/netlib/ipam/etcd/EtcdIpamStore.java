package dev.netlib.ipam.etcd;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.etcd.internal.ConnectionSettings;
import dev.netlib.etcd.internal.EtcdConnection;
import dev.netlib.etcd.internal.EtcdErrors;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.IpamStoreException;
import dev.netlib.ipam.ProcessLease;
import dev.netlib.ipam.Versioned;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link dev.netlib.ipam.IpamStore} on etcd v3, for state shared by several hosts (IP allocations
 * of an overlay network, later network definitions).
 *
 * <p>A key's version is etcd's {@code mod_revision}: cluster-wide, increasing, never reused, so a
 * compare-and-swap is one etcd transaction {@code if mod_revision(key) == expected then put} (for
 * "absent": {@code if version(key) == 0}); etcd's Raft log orders racing hosts, and only one of two
 * transactions on the same revision can succeed. No lock is held across calls.
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
 * <p>Liveness ({@link ProcessLease}): on first use the store is granted an etcd lease (time to live
 * {@link Builder#leaseTtl}, default 10 s) that jetcd keeps alive in the background until {@link
 * #close()} revokes it. The network layer writes its id into the owner of every operation, so a
 * process on any host finishes or rolls back that work only once the lease is gone: a time to live
 * after its process died, or at once after a clean close. A lease lost while the process lives (etcd
 * unreachable for longer than the time to live) is replaced by a new one for the next operations;
 * the operations that carried the lost one may then be taken for dead by another host, so choose a
 * time to live longer than the outages the network layer must ride out.
 *
 * <p>Keys are stored under a namespace prefix (default {@value #DEFAULT_NAMESPACE}), so several
 * independent netlib installations (or tests) can share one etcd.
 */
public final class EtcdIpamStore implements IpamStore, ProcessLease {
    /** The default namespace prefix of every key. */
    public static final String DEFAULT_NAMESPACE = "netlib/";
    private static final Logger LOG = LoggerFactory.getLogger(EtcdIpamStore.class);

    private final EtcdConnection connection;
    private final Client client;
    private final KV kv;
    private final String namespace;
    private final String endpoints;
    private final Duration leaseTtl;
    /** This process's lease (0: none yet, or lost) and the stream that keeps it alive; guarded by {@code this}. */
    private long lease;
    private CloseableClient keepAlive;

    private EtcdIpamStore(EtcdConnection connection, String namespace, Duration leaseTtl) {
        this.connection = connection;
        this.client = connection.client();
        this.kv = client.getKVClient();
        this.namespace = namespace;
        this.endpoints = connection.endpoints();
        this.leaseTtl = leaseTtl;
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

    /** Granted on first use, kept alive by jetcd until {@link #close()}; replaced if it was lost. */
    @Override
    public synchronized long processLease() {
        if (lease != 0) {
            return lease;
        }
        long id = await(client.getLeaseClient().grant(Math.max(1, leaseTtl.toSeconds())), "grant a lease").getID();
        keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                // kept alive
            }

            @Override
            public void onError(Throwable t) {
                // jetcd reports here both etcd's answer that the lease is gone and a broken keep-alive
                // stream (etcd restarted, a network blip); after the latter it reopens the stream and
                // goes on renewing the lease, which is still ours: only the former loses it, and a
                // closed client, which renews nothing any more
                if (EtcdErrors.isLeaseNotFound(t) || t instanceof ClosedClientException) {
                    lost(id, t);
                } else {
                    LOG.debug("etcd at {}: keep-alive of lease {} interrupted ({}); jetcd retries", endpoints, Long.toHexString(id), t.toString());
                }
            }

            @Override
            public void onCompleted() {
                // jetcd's deadline passed: no renewal got through for a whole time to live
                lost(id, null);
            }
        });
        lease = id;
        return id;
    }

    /** The keep-alive ended: the next operation gets a new lease (the old one expires, if it has not). */
    private synchronized void lost(long id, Throwable why) {
        if (lease == id) {
            LOG.warn("etcd at {}: lease {} is no longer kept alive ({}); the next operation takes a new one", endpoints,
                    Long.toHexString(id), why == null ? "expired" : why.toString());
            lease = 0;
            if (keepAlive != null) {
                keepAlive.close();
                keepAlive = null;
            }
        }
    }

    /** Asks etcd for the lease's time to live: -1 when it does not exist (expired or revoked). */
    @Override
    public boolean leaseExists(long id) {
        LeaseTimeToLiveResponse r = await(client.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT), "read lease " + Long.toHexString(id));
        return r.getTTL() >= 0; // -1: not found
    }

    @Override
    public String describe() {
        return "etcd store " + endpoints + " (namespace " + namespace + ")";
    }

    /** Revokes this process's lease (its work is then provably over for every host) and closes an owned client. */
    @Override
    public void close() {
        synchronized (this) {
            if (keepAlive != null) {
                keepAlive.close();
                keepAlive = null;
            }
            if (lease != 0) {
                try {
                    await(client.getLeaseClient().revoke(lease), "revoke lease " + Long.toHexString(lease));
                } catch (IpamStoreException e) {
                    if (EtcdErrors.isLeaseNotFound(e)) {
                        // revoked or expired already: what the revoke was for
                        LOG.debug("etcd at {}: lease {} was gone already", endpoints, Long.toHexString(lease));
                    } else {
                        LOG.warn("etcd at {}: could not revoke lease {} ({}); it expires in {} s", endpoints, Long.toHexString(lease), e.getMessage(),
                                leaseTtl.toSeconds());
                    }
                }
                lease = 0;
            }
        }
        connection.close();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        return connection.await(f, what, IpamStoreException::new);
    }

    /** Settings of an {@link EtcdIpamStore}. */
    public static final class Builder {
        private final ConnectionSettings connection = new ConnectionSettings("etcd store");
        private String namespace = DEFAULT_NAMESPACE;
        private Duration leaseTtl = Duration.ofSeconds(10);

        private Builder() {}

        /**
         * The time to live of this process's lease (default 10 s, at least 1 s): how long after the
         * process dies (or loses etcd) other hosts take its operations in flight for dead.
         */
        public Builder leaseTtl(Duration ttl) {
            if (ttl == null || ttl.toSeconds() < 1) {
                throw new InvalidConfigException("etcd lease time to live must be at least 1 s, got " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        /** The etcd client URLs, e.g. {@code http://127.0.0.1:2379}. */
        public Builder endpoints(String... endpoints) {
            connection.endpoints(endpoints);
            return this;
        }

        /** Uses a jetcd client the caller made (TLS, auth...) and still owns: {@link #close()} leaves it open. */
        public Builder client(Client client) {
            connection.client(client);
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
            connection.timeout(timeout);
            return this;
        }

        /** Connects to etcd with what was set. */
        public EtcdIpamStore build() {
            return new EtcdIpamStore(connection.open(), namespace, leaseTtl);
        }
    }
}
