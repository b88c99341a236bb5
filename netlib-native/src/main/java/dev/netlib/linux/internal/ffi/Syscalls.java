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

    /**
     * Whether a call that returned {@code rc} is to be made again: it failed with EINTR (a signal
     * came while it blocked). A libc call of netlib-native that may block is written
     * {@code do { rc = libc.f(...); } while (Syscalls.interrupted(rc));} and then, when
     * {@code rc < 0}, {@link #lastErrno()} or {@link #failure} tells why; one that never blocks
     * (bind, getsockname, setsockopt on a netlink socket) is checked once.
     *
     * <p>Why a loop at each call site rather than one method taking the call as a lambda: each
     * lambda site costs 0.7-2.4 ms the first time it runs in a fresh JVM (its class is spun and,
     * for a capturing one, new method-handle forms too), and the syscall sites are all on the
     * path of a program's first request (issue 13's cold start, issue 12's first nf_tables call).
     */
    public static boolean interrupted(long rc) {
        return rc < 0 && lastErrno().number() == Errno.EINTR.number();
    }

    /** The exception for the failure of this thread's last call: its errno, {@code operation} named. */
    public static KernelException failure(String operation) {
        return KernelException.of(lastErrno(), operation, null);
    }

    /** A call whose result is checked by {@link #check}. */
    @FunctionalInterface
    public interface Call {
        long invoke();
    }

    /**
     * Runs {@code call}, retrying on EINTR; returns its non-negative result or throws a
     * {@link KernelException} naming {@code operation} with the errno. For code off a program's
     * first request (tools, tests); netlib's own calls use {@link #interrupted} (see there why).
     */
    public static long check(String operation, Call call) {
        long rc;
        do {
            rc = call.invoke();
        } while (interrupted(rc));
        if (rc < 0) {
            throw failure(operation);
        }
        return rc;
    }

    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            libc().close(fd); // close is never retried on EINTR on Linux: the fd is gone either way
        }
    }
}
