/**
 * Network namespaces on Linux: {@link dev.netlib.linux.internal.netns.NetnsManager} creates them exactly as
 * {@code ip netns add} does (a shared /var/run/netns, an nsfs bind mount of
 * {@code /proc/thread-self/ns/net} made by a thread that unshared), makes anonymous ones, opens
 * them by name, path or pid, deletes them as {@code ip netns del} does, and runs code inside them.
 *
 * <p>setns and unshare act on the calling OS thread only, and a thread inherits the namespace of
 * the thread that starts it. So netlib switches only its own platform threads: each namespace ref
 * has worker threads that enter it once and stay there (ending when idle or when the ref is
 * released); creation runs on a worker of the root namespace, which switches back and is verified
 * by inode after every task, and discarded if it is anywhere else. No caller's thread ever moves.
 *
 * <p>Measured on the 2-core development machine (shared, load 5-15): a {@code run} on a cached
 * worker costs ~9 us, a fresh thread with setns per call ~110-450 us; a named create + delete
 * ~1-2.5 ms.
 *
 * <p>Internal: not API (see the package {@code dev.netlib.linux}); it changes in any release.
 */
package dev.netlib.linux.internal.netns;
