package dev.netlib.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ClusterStore} must do, etcd's semantics: run against {@link MemoryClusterStore}
 * and against a real etcd ({@code EtcdClusterStoreTest} in netlib-etcd). Each test works under its
 * own random prefix, so the etcd run can share one server.
 */
public abstract class ClusterStoreContract {
    protected ClusterStore store;
    protected String p;

    /** A store for one test. */
    protected abstract ClusterStore newStore() throws Exception;

    /** Lets at least {@code ttl} pass for the store's leases (a real wait on etcd, a clock move in memory). */
    protected abstract void passTime(Duration ttl) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
        p = "t-" + UUID.randomUUID() + "/";
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void putMovesTheRevisionAndCountsVersions() {
        long r1 = store.put(p + "a", "1");
        long r2 = store.put(p + "a", "2");
        assertThat(r2).isEqualTo(r1 + 1);
        KeyValue kv = store.get(p + "a").orElseThrow();
        assertThat(kv.value()).isEqualTo("2");
        assertThat(kv.createRevision()).isEqualTo(r1);
        assertThat(kv.modRevision()).isEqualTo(r2);
        assertThat(kv.version()).isEqualTo(2);
        assertThat(kv.lease()).isZero();
        assertThat(store.get(p + "missing")).isEmpty();
    }

    @Test
    void txnWritesAllOrNothing() {
        TxnResult first = store.txn(Txn.when(Compare.absent(p + "name")).then(Op.put(p + "name", "x"), Op.put(p + "vni/5", "x")));
        assertThat(first.succeeded()).isTrue();
        TxnResult second = store.txn(Txn.when(Compare.absent(p + "name"), Compare.absent(p + "vni/6"))
                .then(Op.put(p + "name", "y"), Op.put(p + "vni/6", "y")));
        assertThat(second.succeeded()).isFalse();
        assertThat(second.revision()).isEqualTo(first.revision());
        assertThat(store.get(p + "vni/6")).isEmpty();
        assertThat(store.get(p + "name").orElseThrow().value()).isEqualTo("x");
    }

    @Test
    void compareOnModRevisionIsACompareAndSwap() {
        long r = store.put(p + "k", "a");
        assertThat(store.txn(Txn.when(Compare.modRevision(p + "k", r)).then(Op.put(p + "k", "b"))).succeeded()).isTrue();
        assertThat(store.txn(Txn.when(Compare.modRevision(p + "k", r)).then(Op.put(p + "k", "c"))).succeeded()).isFalse();
        assertThat(store.get(p + "k").orElseThrow().value()).isEqualTo("b");
        assertThat(store.txn(Txn.when(Compare.version(p + "k", 2)).then(Op.delete(p + "k"))).succeeded()).isTrue();
        assertThat(store.get(p + "k")).isEmpty();
    }

    @Test
    void rangeIsByPrefixInKeyOrderAtOneRevision() {
        store.put(p + "b", "2");
        store.put(p + "a", "1");
        long last = store.put(p + "c/d", "3");
        store.put("x" + p, "outside");
        Range r = store.range(p);
        assertThat(r.kvs()).extracting(KeyValue::key).containsExactly(p + "a", p + "b", p + "c/d");
        assertThat(r.revision()).isGreaterThanOrEqualTo(last + 1);
    }

    @Test
    void deletePrefixRemovesOnlyThePrefix() {
        store.put(p + "n/1", "a");
        store.put(p + "n/2", "b");
        store.put(p + "m", "c");
        store.txn(Txn.when().then(Op.deletePrefix(p + "n/")));
        assertThat(store.range(p).kvs()).extracting(KeyValue::key).containsExactly(p + "m");
    }

    @Test
    void revokedLeaseTakesItsKeys() {
        long lease = store.grantLease(Duration.ofSeconds(10));
        store.txn(Txn.when().then(Op.put(p + "ep/1", "a", lease), Op.put(p + "ep/2", "b", lease)));
        store.put(p + "durable", "d");
        assertThat(store.get(p + "ep/1").orElseThrow().lease()).isEqualTo(lease);
        store.revokeLease(lease);
        assertThat(store.range(p).kvs()).extracting(KeyValue::key).containsExactly(p + "durable");
        assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void putOnAnUnknownLeaseFails() {
        long lease = store.grantLease(Duration.ofSeconds(5));
        store.revokeLease(lease);
        assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put(p + "k", "v", lease)))).isInstanceOf(LeaseNotFoundException.class);
        assertThat(store.get(p + "k")).isEmpty();
    }

    @Test
    void anExpiredLeaseDeletesItsKeysAndWatchersSeeIt() throws Exception {
        long lease = store.grantLease(Duration.ofSeconds(2));
        long r = store.put(p + "ep", "a");
        store.txn(Txn.when().then(Op.put(p + "leased", "x", lease)));
        Recorder rec = new Recorder();
        try (Watch w = store.watch(p, r + 1, rec)) {
            passTime(Duration.ofSeconds(2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.get(p + "leased").isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(store.get(p + "leased")).isEmpty();
            assertThat(rec.awaitEvents(2)).extracting(e -> e.type() + " " + e.kv().key())
                    .containsExactly("PUT " + p + "leased", "DELETE " + p + "leased");
            assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(LeaseNotFoundException.class);
        }
    }

    @Test
    void keepAliveKeepsALeaseBeyondItsTtl() throws Exception {
        long lease = store.grantLease(Duration.ofSeconds(2));
        store.txn(Txn.when().then(Op.put(p + "k", "v", lease)));
        for (int i = 0; i < 3; i++) {
            passTime(Duration.ofMillis(1000));
            assertThat(store.keepAlive(lease)).isGreaterThan(Duration.ZERO);
        }
        assertThat(store.get(p + "k")).isPresent();
        store.revokeLease(lease);
    }

    @Test
    void watchReplaysFromARevisionInOrderWithPreviousValues() throws Exception {
        long r1 = store.put(p + "a", "1");
        store.put(p + "a", "2");
        store.delete(p + "a");
        Recorder rec = new Recorder();
        try (Watch w = store.watch(p, r1, rec)) {
            store.put(p + "b", "3");
            List<WatchEvent> ev = rec.awaitEvents(4);
            assertThat(ev).extracting(e -> e.type() + " " + e.kv().key() + "=" + e.kv().value())
                    .containsExactly("PUT " + p + "a=1", "PUT " + p + "a=2", "DELETE " + p + "a=", "PUT " + p + "b=3");
            assertThat(ev.get(2).prev().value()).isEqualTo("2");
            assertThat(ev.get(1).prev().value()).isEqualTo("1");
            for (int i = 1; i < ev.size(); i++) {
                assertThat(ev.get(i).kv().modRevision()).isGreaterThan(ev.get(i - 1).kv().modRevision());
            }
        }
    }

    @Test
    void aTransactionArrivesAsOneBatch() throws Exception {
        long r = store.put(p + "start", "s");
        Recorder rec = new Recorder();
        try (Watch w = store.watch(p, r + 1, rec)) {
            store.txn(Txn.when().then(Op.put(p + "x", "1"), Op.put(p + "y", "2")));
            rec.awaitEvents(2);
            assertThat(rec.batches.get(0)).hasSize(2);
        }
    }

    @Test
    void watchFromACompactedRevisionIsReported() throws Exception {
        long r1 = store.put(p + "a", "1");
        store.put(p + "a", "2");
        long r3 = store.put(p + "a", "3");
        store.compact(r3);
        Recorder rec = new Recorder();
        try (Watch w = store.watch(p, r1, rec)) {
            assertThat(rec.compacted.await(10, TimeUnit.SECONDS)).as("compaction reported").isTrue();
            assertThat(rec.compactRevision).isEqualTo(r3);
            assertThat(rec.events).isEmpty();
        }
    }

    @Test
    void aClosedWatchDeliversNothingMore() throws Exception {
        long r = store.put(p + "a", "1");
        Recorder rec = new Recorder();
        Watch w = store.watch(p, r + 1, rec);
        store.put(p + "b", "1");
        rec.awaitEvents(1);
        w.close();
        store.put(p + "c", "1");
        Thread.sleep(300);
        assertThat(rec.events).extracting(e -> e.kv().key()).containsExactly(p + "b");
    }

    @Test
    void aProgressRequestIsAnsweredWithTheStoresRevision() throws Exception {
        long r = store.put(p + "a", "1");
        Recorder rec = new Recorder();
        try (Watch w = store.watch(p, r + 1, rec)) {
            long last = store.put(p + "b", "2");
            w.requestProgress();
            assertThat(rec.progress.poll(10, TimeUnit.SECONDS)).as("progress answered").isNotNull().isGreaterThanOrEqualTo(last);
            assertThat(rec.awaitEvents(1)).extracting(e -> e.kv().key()).containsExactly(p + "b");
            w.requestProgress();
            assertThat(rec.progress.poll(10, TimeUnit.SECONDS)).as("every request is answered").isNotNull();
        }
    }

    /** Collects what a watch delivers. */
    protected static final class Recorder implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final List<List<WatchEvent>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch compacted = new CountDownLatch(1);
        volatile long compactRevision;
        final java.util.concurrent.BlockingQueue<Long> progress = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void onEvents(List<WatchEvent> ev) {
            batches.add(ev);
            events.addAll(ev);
        }

        @Override
        public void onCompacted(long rev) {
            compactRevision = rev;
            compacted.countDown();
        }

        @Override
        public void onClosed(Throwable cause) {}

        @Override
        public void onProgress(long revision) {
            progress.add(revision);
        }

        List<WatchEvent> awaitEvents(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return new ArrayList<>(events);
        }
    }
}
