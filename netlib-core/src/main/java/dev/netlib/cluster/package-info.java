/**
 * The cluster store: what several hosts share to build overlay networks. {@link
 * dev.netlib.cluster.ClusterStore} is the SPI (transactions with compares on versions and mod
 * revisions, leases with keep-alive and expiry, watches from a revision that report compaction),
 * shaped after etcd's API; {@link dev.netlib.cluster.MemoryClusterStore} behaves like one etcd
 * member in memory (for unit tests on FakeKernel), {@code EtcdClusterStore} in netlib-etcd speaks
 * to a real etcd, and {@link dev.netlib.cluster.ClusterIpamStore} exposes a key prefix as an
 * {@link dev.netlib.ipam.IpamStore} so IPAM allocates cluster-wide addresses through it.
 */
package dev.netlib.cluster;
