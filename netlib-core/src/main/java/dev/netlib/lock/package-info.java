/**
 * Exclusion between every thread and every process of one host that share a file system:
 * {@link dev.netlib.lock.HostFileLock} (a lock inside the JVM, then an fcntl lock on a file), whose
 * waits are bounded by a {@link dev.netlib.lock.LockTimeout} and end with
 * {@link dev.netlib.error.LockTimeoutException} naming the holder. Used by the hosts files the
 * network layer shares, the file IPAM store and the Linux backend's nf_tables changes.
 */
package dev.netlib.lock;
