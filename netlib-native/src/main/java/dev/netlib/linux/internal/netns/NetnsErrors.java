package dev.netlib.linux.internal.netns;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;

/** Exceptions for namespace operations, saying which capability a refusal is about. */
final class NetnsErrors {
    private NetnsErrors() {}

    /** For unshare, setns, mount, umount: these need CAP_SYS_ADMIN. */
    static KernelException kernel(Errno errno, String operation) {
        if (errno.number() == Errno.EPERM.number() || errno.number() == Errno.EACCES.number()) {
            return KernelException.of(errno, operation,
                    "creating, entering and naming network namespaces needs CAP_SYS_ADMIN (and CAP_NET_ADMIN to change them)");
        }
        return KernelException.of(errno, operation, null);
    }

    /** For work inside a namespace (sockets, sysctls): needs CAP_NET_ADMIN. */
    static KernelException net(Errno errno, String operation) {
        if (errno.number() == Errno.EPERM.number() || errno.number() == Errno.EACCES.number()) {
            return KernelException.of(errno, operation, "changing a network namespace needs CAP_NET_ADMIN");
        }
        return KernelException.of(errno, operation, null);
    }
}
