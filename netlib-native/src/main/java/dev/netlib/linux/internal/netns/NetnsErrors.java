package dev.netlib.linux.internal.netns;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.linux.internal.ffi.Syscalls;
import java.util.function.Function;

/** Exceptions for namespace operations, saying which capability a refusal is about. */
final class NetnsErrors {
    private NetnsErrors() {}

    /** Runs {@code call} (EINTR retried); a failure becomes the exception {@code error} makes of the errno. */
    static long check(Syscalls.Call call, Function<Errno, ? extends RuntimeException> error) {
        Errno[] err = new Errno[1];
        long rc = Syscalls.checkOrErrno(call, err);
        if (rc < 0) {
            throw error.apply(err[0]);
        }
        return rc;
    }

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
