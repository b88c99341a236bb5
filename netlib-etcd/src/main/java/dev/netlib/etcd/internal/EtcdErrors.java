package dev.netlib.etcd.internal;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

/**
 * Typed facts about a failed etcd call, read from the gRPC status code and jetcd's error code
 * instead of the message text (which etcd and jetcd reword between versions).
 */
public final class EtcdErrors {
    private EtcdErrors() {}

    /**
     * Whether etcd refused a call because a lease it names does not exist (expired or revoked).
     *
     * <p>etcd answers every such call with gRPC NOT_FOUND ({@code rpctypes.ErrGRPCLeaseNotFound}:
     * lease revoke, a put or txn whose put carries the lease). jetcd 0.8.6 passes that on in two
     * shapes, both seen against a real etcd (EtcdErrorsTest): unary calls fail with the gRPC {@code
     * StatusRuntimeException} itself, while {@code keepAliveOnce} and the keep-alive stream turn
     * etcd's TTL 0 reply into an {@link EtcdException} with {@link ErrorCode#NOT_FOUND}, whose gRPC
     * status would read UNKNOWN. NOT_FOUND means a lease only on calls that name one: the caller asks
     * this for those calls alone, and knows which lease it named.
     *
     * @param failure what the call's future failed with, or an exception wrapping it
     * @return true for etcd's lease-not-found, false for anything else (timeouts, unreachable, ...)
     */
    public static boolean isLeaseNotFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND) {
                return true;
            }
        }
        // the first gRPC status in the cause chain, UNKNOWN when there is none
        return Status.fromThrowable(failure).getCode() == Status.Code.NOT_FOUND;
    }
}
