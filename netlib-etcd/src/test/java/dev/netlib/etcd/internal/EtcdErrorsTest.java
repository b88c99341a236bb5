package dev.netlib.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What jetcd really raises against a real etcd, read by {@link EtcdErrors}: a jetcd upgrade that
 * changes the shape of a lease-not-found (jetcd 0.8.6: a gRPC StatusRuntimeException NOT_FOUND for
 * unary calls, an EtcdException NOT_FOUND from keepAliveOnce) fails here, not in production.
 */
class EtcdErrorsTest {
    private static final ByteSequence KEY = ByteSequence.from("nli-errors/k", StandardCharsets.UTF_8);

    @Test
    void everyCallOnARevokedLeaseIsLeaseNotFoundAndAStoppedEtcdIsNot() throws Exception {
        try (ThrowawayEtcd etcd = EtcdForTests.startOrSkip(); Client c = Client.builder().endpoints(etcd.endpoint()).build()) {
            long id = c.getLeaseClient().grant(30).get().getID();
            c.getLeaseClient().revoke(id).get();

            assertThat(EtcdErrors.isLeaseNotFound(failure(c.getLeaseClient().revoke(id)))).as("revoke").isTrue();
            assertThat(EtcdErrors.isLeaseNotFound(failure(c.getLeaseClient().keepAliveOnce(id)))).as("keepAliveOnce").isTrue();
            PutOption leased = PutOption.builder().withLeaseId(id).build();
            assertThat(EtcdErrors.isLeaseNotFound(failure(c.getKVClient().txn().Then(Op.put(KEY, KEY, leased)).commit()))).as("txn put").isTrue();
            assertThat(EtcdErrors.isLeaseNotFound(failure(c.getKVClient().put(KEY, KEY, leased)))).as("put").isTrue();

            etcd.freeze(true);
            try {
                Throwable frozen = failure(c.getLeaseClient().keepAliveOnce(id));
                assertThat(frozen).isInstanceOf(TimeoutException.class);
                assertThat(EtcdErrors.isLeaseNotFound(frozen)).as("frozen etcd").isFalse();
            } finally {
                etcd.freeze(false);
            }
            etcd.stopProcess();
            Throwable stopped = failure(c.getLeaseClient().revoke(id));
            assertThat(EtcdErrors.isLeaseNotFound(stopped)).as("stopped etcd: " + stopped).isFalse();
        }
    }

    /** What {@code f} fails with within 2 s: its cause, or the TimeoutException. */
    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            Object r = f.get(2, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + r);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            return e;
        }
    }
}
