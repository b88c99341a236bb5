/**
 * The cluster store on etcd: {@link dev.netlib.cluster.etcd.EtcdClusterStore} implements {@link
 * dev.netlib.cluster.ClusterStore} with jetcd (transactions on mod revisions, leases with
 * keep-alive, watches that report compaction), for overlay networks shared by several hosts.
 */
package dev.netlib.cluster.etcd;
