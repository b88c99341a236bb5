/**
 * IP address management, Docker-style, as a library: {@link dev.netlib.ipam.IpPool} hands out
 * addresses of a subnet, {@link dev.netlib.ipam.SubnetPool} and {@link
 * dev.netlib.ipam.SubnetAllocator} hand out subnets for networks, and all state lives in an {@link
 * dev.netlib.ipam.IpamStore}: a versioned key-value store with compare-and-swap, so threads,
 * processes and hosts sharing a store never hand out the same address.
 *
 * <pre>{@code
 * try (IpamStore store = FileIpamStore.openDefault()) {          // /var/lib/netlib as root
 *     IpPool pool = IpPool.builder(store, "net1").subnet("172.20.0.0/16").ipRange("172.20.5.0/24").create();
 *     InetAddress a = pool.allocate("container-1");               // 172.20.5.0, then .5.1, ... wrapping around
 *     pool.release(a);
 * }
 * }</pre>
 *
 * Stores: {@link dev.netlib.ipam.MemoryIpamStore}, {@link dev.netlib.ipam.FileIpamStore} (the
 * default) and {@code dev.netlib.ipam.etcd.EtcdIpamStore} in the optional {@code netlib-etcd} module.
 */
package dev.netlib.ipam;
