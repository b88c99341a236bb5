/**
 * The Linux backend: {@link dev.netlib.linux.LinuxBackend}, found by {@code Netlib.open()} through
 * {@link java.util.ServiceLoader}, speaks rtnetlink and nf_tables over AF_NETLINK sockets and
 * enters namespaces with setns, through jffi.
 *
 * <p>Its internals live in {@code dev.netlib.linux.internal.*}: {@code ffi} (libc through jffi),
 * {@code netlink} (socket, message writer and reader, acks, dumps), {@code rtnl} (links,
 * addresses, routes, neighbours, FDB, one constants class per kernel attribute space), {@code nft}
 * (nf_tables) and {@code netns} (namespaces and the threads that enter them). <strong>They are not
 * API:</strong> public only because Java 17 without modules cannot share code between packages
 * otherwise, and they change in any release without notice.
 */
package dev.netlib.linux;
