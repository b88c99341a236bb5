package dev.netlib.cluster.etcd;

import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.ClusterStoreException;
import dev.netlib.cluster.Compare;
import dev.netlib.cluster.KeyValue;
import dev.netlib.cluster.LeaseNotFoundException;
import dev.netlib.cluster.Op;
import dev.netlib.cluster.Range;
import dev.netlib.cluster.Txn;
import dev.netlib.cluster.TxnResult;
import dev.netlib.cluster.Watch;
import dev.netlib.cluster.WatchEvent;
import dev.netlib.cluster.WatchListener;
import dev.netlib.etcd.internal.ConnectionSettings;
import dev.netlib.etcd.internal.EtcdConnection;
import dev.netlib.etcd.internal.EtcdErrors;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterStore} on etcd v3 through jetcd: each call is the etcd request of the same name,
 * keys are used as given (the caller's layout carries its prefix), revisions, versions and leases are
 * etcd's own.
 *
 * <p>Every call waits at most the configured timeout (default 5 s) and then fails with a {@link
 * ClusterStoreException} naming the endpoints. Watches ride out short outages: jetcd resumes a broken
 * watch stream from the revision after the last event it delivered; a compacted revision ends the watch
 * with {@link WatchListener#onCompacted}, any other end with {@link WatchListener#onClosed}. Each
 * watch delivers on its own thread, one call at a time, in revision order.
 *
 * <p>Equivalent to: {@code etcdctl --endpoints=URLS get|put|del|txn|lease|watch|compact}.
 */
public final class EtcdClusterStore implements ClusterStore {
    private final EtcdConnection connection;
    private final Client client;

    private EtcdClusterStore(EtcdConnection connection) {
        this.connection = connection;
        this.client = connection.client();
    }

    /**
     * A store on the etcd cluster at {@code endpoints} (e.g. {@code http://127.0.0.1:2379}); checks
     * that etcd answers, so a wrong URL fails here and not at the first write.
     */
    public static EtcdClusterStore connect(String... endpoints) {
        return builder().endpoints(endpoints).build();
    }

    /** Settings for a store. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        GetResponse r = await(client.getKVClient().get(bytes(key)), "get " + key);
        return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(kv(r.getKvs().get(0)));
    }

    @Override
    public Range range(String prefix) {
        GetResponse r = await(client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()), "get --prefix " + prefix);
        List<KeyValue> out = new ArrayList<>();
        r.getKvs().forEach(v -> out.add(kv(v)));
        return new Range(r.getHeader().getRevision(), out);
    }

    @Override
    public TxnResult txn(Txn txn) {
        List<Cmp> cmps = new ArrayList<>();
        for (Compare c : txn.compares()) {
            CmpTarget<?> target = c.target() == Compare.Target.VERSION ? CmpTarget.version(c.expected()) : CmpTarget.modRevision(c.expected());
            cmps.add(new Cmp(bytes(c.key()), Cmp.Op.EQUAL, target));
        }
        List<io.etcd.jetcd.op.Op> ops = new ArrayList<>();
        List<Long> leases = new ArrayList<>();
        for (Op op : txn.ops()) {
            if (op instanceof Op.Put p) {
                if (p.lease() != 0 && !leases.contains(p.lease())) {
                    leases.add(p.lease());
                }
                PutOption opt = p.lease() == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(p.lease()).build();
                ops.add(io.etcd.jetcd.op.Op.put(bytes(p.key()), bytes(p.value()), opt));
            } else if (op instanceof Op.Delete d) {
                ops.add(io.etcd.jetcd.op.Op.delete(bytes(d.key()), DeleteOption.DEFAULT));
            } else if (op instanceof Op.DeletePrefix dp) {
                ops.add(io.etcd.jetcd.op.Op.delete(bytes(dp.prefix()), DeleteOption.builder().isPrefix(true).build()));
            }
        }
        CompletableFuture<TxnResponse> f = client.getKVClient().txn().If(cmps.toArray(Cmp[]::new)).Then(ops.toArray(io.etcd.jetcd.op.Op[]::new)).commit();
        TxnResponse r;
        try {
            r = await(f, "txn " + txn, leases.isEmpty() ? 0 : leases.get(0));
        } catch (LeaseNotFoundException gone) {
            if (leases.size() == 1) {
                throw gone;
            }
            // etcd names no lease in its answer: ask which of the puts' leases is gone
            throw new LeaseNotFoundException(firstGone(leases), describe());
        }
        return new TxnResult(r.isSucceeded(), r.getHeader().getRevision());
    }

    /** The first of {@code leases} etcd no longer has (TTL -1), or the first one if all are back (a race). */
    private long firstGone(List<Long> leases) {
        for (long lease : leases) {
            LeaseTimeToLiveResponse ttl = await(client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT),
                    "lease timetolive " + Long.toHexString(lease));
            if (ttl.getTTL() < 0) {
                return lease;
            }
        }
        return leases.get(0);
    }

    @Override
    public long grantLease(Duration ttl) {
        return await(client.getLeaseClient().grant(Math.max(1, ttl.toSeconds())), "lease grant " + ttl.toSeconds()).getID();
    }

    @Override
    public Duration keepAlive(long lease) {
        LeaseKeepAliveResponse r = await(client.getLeaseClient().keepAliveOnce(lease), "lease keep-alive " + Long.toHexString(lease), lease);
        if (r.getTTL() <= 0) {
            throw new LeaseNotFoundException(lease, describe());
        }
        return Duration.ofSeconds(r.getTTL());
    }

    @Override
    public void revokeLease(long lease) {
        try {
            await(client.getLeaseClient().revoke(lease), "lease revoke " + Long.toHexString(lease), lease);
        } catch (LeaseNotFoundException gone) {
            // revoking a lease that already expired is what the caller wanted anyway
        }
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netlib-etcd-watch");
            t.setDaemon(true);
            return t;
        });
        // progress notify: jetcd passes a response without events to the listener only with it on
        WatchOption.Builder opt = WatchOption.builder().isPrefix(true).withPrevKV(true).withProgressNotify(true);
        if (fromRevision > 0) {
            opt.withRevision(fromRevision);
        }
        io.etcd.jetcd.Watch.Watcher watcher = client.getWatchClient().watch(bytes(prefix), opt.build(), new io.etcd.jetcd.Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                List<WatchEvent> events = new ArrayList<>();
                for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
                    events.add(event(e));
                }
                if (!events.isEmpty()) {
                    submit(delivery, () -> listener.onEvents(events));
                } else if (response.isProgressNotify()) {
                    long revision = response.getHeader().getRevision();
                    submit(delivery, () -> listener.onProgress(revision));
                }
            }

            @Override
            public void onError(Throwable t) {
                if (t instanceof CompactedException c) {
                    submit(delivery, () -> listener.onCompacted(c.getCompactedRevision()));
                } else {
                    submit(delivery, () -> listener.onClosed(t));
                }
            }

            @Override
            public void onCompleted() {
                submit(delivery, () -> listener.onClosed(null));
            }
        });
        return new Watch() {
            @Override
            public void close() {
                watcher.close();
                delivery.shutdownNow();
                try {
                    delivery.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            /** One watch per gRPC stream in jetcd, so etcd's answer (watch id -1) comes back to this watch only. */
            @Override
            public void requestProgress() {
                watcher.requestProgress();
            }
        };
    }

    private static void submit(ExecutorService delivery, Runnable task) {
        try {
            delivery.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the watch was closed: nothing more is delivered, as promised
        }
    }

    @Override
    public void compact(long revision) {
        await(client.getKVClient().compact(revision), "compact " + revision);
    }

    @Override
    public String describe() {
        return "etcd " + connection.endpoints();
    }

    @Override
    public void close() {
        connection.close();
    }

    private static WatchEvent event(io.etcd.jetcd.watch.WatchEvent e) {
        io.etcd.jetcd.KeyValue prev = e.getPrevKV();
        KeyValue before = prev == null || prev.getKey().isEmpty() ? null : kv(prev);
        if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
            io.etcd.jetcd.KeyValue k = e.getKeyValue();
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(str(k.getKey()), "", 0, k.getModRevision(), 0, 0), before);
        }
        return new WatchEvent(WatchEvent.Type.PUT, kv(e.getKeyValue()), before);
    }

    private static KeyValue kv(io.etcd.jetcd.KeyValue v) {
        return new KeyValue(str(v.getKey()), str(v.getValue()), v.getCreateRevision(), v.getModRevision(), v.getVersion(), v.getLease());
    }

    private static String str(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** {@link #await(CompletableFuture, String, long)} for a call that names no lease. */
    private <T> T await(CompletableFuture<T> f, String what) {
        return await(f, what, 0);
    }

    /**
     * Waits for a call; a call that names {@code lease} (non-zero) and that etcd refuses because the
     * lease is gone fails with {@link LeaseNotFoundException} for that lease, any other failure with
     * {@link ClusterStoreException}. The caller passes the lease because only it knows which one the
     * call named; etcd's error carries no id.
     */
    private <T> T await(CompletableFuture<T> f, String what, long lease) {
        return connection.await(f, what, (message, cause) -> lease != 0 && EtcdErrors.isLeaseNotFound(cause)
                ? new LeaseNotFoundException(lease, describe())
                : new ClusterStoreException(message, cause));
    }

    /** Settings of an {@link EtcdClusterStore}. */
    public static final class Builder {
        private final ConnectionSettings connection = new ConnectionSettings("etcd cluster store");

        private Builder() {}

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

        /** How long one etcd call may take before it fails (default 5 s). */
        public Builder timeout(Duration timeout) {
            connection.timeout(timeout);
            return this;
        }

        /** Connects, and checks that etcd answers within the timeout. */
        public EtcdClusterStore build() {
            EtcdClusterStore s = new EtcdClusterStore(connection.open());
            try {
                s.get("netlib/v1/.ping");
            } catch (ClusterStoreException e) {
                s.close();
                throw new ClusterStoreException("cannot reach etcd at " + s.connection.endpoints() + ": " + e.getMessage()
                        + "; start etcd or fix the endpoint URL", e);
            }
            return s;
        }
    }
}
