/**
 * The Linux backend's internals: {@code ffi} (libc through jffi), {@code netlink} (socket, message
 * writer and reader, acks, dumps), {@code rtnl} (links, addresses, routes, neighbours, FDB, one
 * constants class per kernel attribute space), {@code nft} (nf_tables) and {@code netns}
 * (namespaces and the threads that enter them). <strong>Not API:</strong> these packages are
 * public only because Java 17 without modules cannot share code between packages otherwise; they
 * change in any release without notice. Use {@link dev.netlib.linux.LinuxBackend} (found by
 * {@code Netlib.open()}) and the types of {@code dev.netlib}.
 */
package dev.netlib.linux.internal;
