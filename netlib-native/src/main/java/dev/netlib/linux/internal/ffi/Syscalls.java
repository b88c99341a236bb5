package dev.netlib.linux.internal.ffi;

import dev.netlib.error.BackendUnavailableException;
import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;

/**
 * The one libc binding of the process ({@link JffiLibC}: each function bound on its first call),
 * and the errno discipline: errno is read right after the call on the same thread (jffi saves it
 * per thread), EINTR is retried.
 */
public final class Syscalls {
    private static volatile LibC libc;

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
                    JffiStubCache.prepare(); // before jffi's first class: where StubLoader finds its library
                    try {
                        libc = new JffiLibC();
                    } catch (LinkageError | RuntimeException e) {
                        throw new BackendUnavailableException("cannot bind libc through jffi: " + e.getMessage(), e);
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
        return Errno.of(JffiLibC.lastError());
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
