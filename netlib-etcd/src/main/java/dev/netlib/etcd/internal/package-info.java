/**
 * What the two etcd stores of this module share: {@link dev.netlib.etcd.internal.ConnectionSettings}
 * (their builders' endpoints, client and timeout), {@link dev.netlib.etcd.internal.EtcdConnection}
 * (the jetcd client, the wait that turns failures into the store's exception, the close) and {@link dev.netlib.etcd.internal.EtcdErrors}, which tells a lease that is gone from any
 * other failure by etcd's gRPC status code, never by message text.
 *
 * <p>Internal: not API; used by {@code dev.netlib.cluster.etcd} and {@code dev.netlib.ipam.etcd}
 * only, and changes in any release. It uses no netlib package but {@code dev.netlib.error},
 * so both stores depend on it without a cycle.
 */
package dev.netlib.etcd.internal;
