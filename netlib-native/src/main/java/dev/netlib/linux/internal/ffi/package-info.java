/**
 * libc for the Linux backend: the calls netlib makes (socket, sendto, recvfrom, setns, unshare,
 * mount, ...) bound through jffi on first use, with errno. Internal: not API (see the package {@code
 * dev.netlib.linux}).
 */
package dev.netlib.linux.internal.ffi;
