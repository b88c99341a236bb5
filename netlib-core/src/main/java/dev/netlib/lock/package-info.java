/**
 * Exclusion between every thread and every process of one host that share a file system:
 * {@link dev.netlib.lock.HostFileLock} (a lock inside the JVM, then an fcntl lock on a file).
 * Used by the hosts files the network layer shares and by the Linux backend's nf_tables changes.
 */
package dev.netlib.lock;
