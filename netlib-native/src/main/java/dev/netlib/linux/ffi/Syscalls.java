package dev.netlib.linux.ffi;

import dev.netlib.error.BackendUnavailableException;
import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The one libc binding of the process, and the errno discipline: errno is read right after the
 * call on the same thread (jnr-ffi saves it per thread with {@code @SaveError}), EINTR is retried.
 */
public final class Syscalls {
    private static volatile LibC libc;
    private static volatile Runtime runtime;

    private Syscalls() {}

    /** The bound libc; loads it once. */
    public static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (Syscalls.class) {
                if (libc == null) {
                    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                        throw new BackendUnavailableException("netlib-native needs Linux; this is " + System.getProperty("os.name")
                                + ". Use FakeKernel (Netlib.open(new FakeKernel())) elsewhere.");
                    }
                    try {
                        LibC loaded = LibraryLoader.create(LibC.class).load("c");
                        runtime = Runtime.getRuntime(loaded);
                        libc = loaded;
                    } catch (LinkageError | RuntimeException e) {
                        throw new BackendUnavailableException("cannot bind libc through jnr-ffi: " + e.getMessage(), e);
                    }
                }
                l = libc;
            }
        }
        return l;
    }

    /** errno of the last call made on this thread. */
    public static Errno lastErrno() {
        libc();
        return Errno.of(runtime.getLastError());
    }

    /** A call whose result is checked; retried while it fails with EINTR. */
    @FunctionalInterface
    public interface Call {
        long invoke();
    }

    /**
     * Runs {@code call}, retrying on EINTR; returns its non-negative result or throws a
     * {@link KernelException} naming {@code operation} with the errno.
     */
    public static long check(String operation, Call call) {
        Errno[] errno = new Errno[1];
        long rc = checkOrErrno(call, errno);
        if (rc < 0) {
            throw KernelException.of(errno[0], operation, null);
        }
        return rc;
    }

    /** Like {@link #check} but returns the errno instead of throwing (0 on success is not returned: result &gt;= 0). */
    public static long checkOrErrno(Call call, Errno[] errnoOut) {
        while (true) {
            long rc = call.invoke();
            if (rc >= 0) {
                return rc;
            }
            Errno errno = lastErrno();
            if (errno.number() != Errno.EINTR.number()) {
                errnoOut[0] = errno;
                return rc;
            }
        }
    }

    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            libc().close(fd); // close is never retried on EINTR on Linux: the fd is gone either way
        }
    }
}
