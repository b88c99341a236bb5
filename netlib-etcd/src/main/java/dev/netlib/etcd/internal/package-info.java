/**
 * What the two etcd stores of this module share: {@link dev.netlib.etcd.internal.EtcdErrors} tells a
 * lease that is gone from any other failure by etcd's gRPC status code, never by message text.
 *
 * <p>Internal: not API; used by {@code dev.netlib.cluster.etcd} and {@code dev.netlib.ipam.etcd}
 * only, and changes in any release. A leaf package (it uses no other netlib package), so both
 * stores depend on it without a cycle.
 */
package dev.netlib.etcd.internal;
