/**
 * An {@link dev.netlib.ipam.IpamStore} on etcd v3 ({@link dev.netlib.ipam.etcd.EtcdIpamStore}),
 * through jetcd, for address pools and network definitions shared by several hosts: versioned
 * compare-and-set on etcd's mod revisions. Needs Netty 4.2 on the class path (see the README).
 */
package dev.netlib.ipam.etcd;
