/**
 * A throwaway etcd for tests and demos: {@link dev.netlib.testing.etcd.ThrowawayEtcd} starts
 * Debian's {@code etcd} binary on 127.0.0.1 with free ports and a temporary data directory, waits
 * until it answers, and removes it with its data on close or at JVM exit. netlib-etcd's tests and
 * netlib-examples' cluster benchmark and scenario s5 all start their etcd through it.
 */
package dev.netlib.testing.etcd;
