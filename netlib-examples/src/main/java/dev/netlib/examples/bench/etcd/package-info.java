/**
 * The throwaway etcd the examples need: scenario {@code s5}, {@code cluster-bench} and
 * {@code ipam-bench} each start Debian's {@code etcd} on 127.0.0.1 through {@link
 * dev.netlib.examples.bench.etcd.EtcdProcess}, and remove it with its data when they end.
 */
package dev.netlib.examples.bench.etcd;
