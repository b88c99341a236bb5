package dev.netlib.linux.testing;

import dev.netlib.linux.ffi.LinuxConstants;
import dev.netlib.linux.ffi.Syscalls;
import dev.netlib.linux.netlink.NetlinkSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A throwaway named namespace for kernel tests, made with {@code ip netns add PREFIX-TAG-...} and
 * deleted by {@link #close()}. The prefix (nll, nlr, nlf, ...) says which tests made it, so
 * scripts/leftovers.sh can find debris. Code runs inside it on a dedicated thread that setns()es
 * and then ends: the test thread never changes namespace.
 */
public final class TestNetns implements AutoCloseable {
    private final String prefix;
    private final String name;
    private int fd = -1;

    private TestNetns(String prefix, String name) {
        this.prefix = prefix;
        this.name = name;
    }

    /** Creates {@code PREFIX-TAG-<pid>-<random>} with {@code ip netns add} and opens an fd on it. */
    public static TestNetns create(String prefix, String tag) {
        String name = Kernel.uniqueName(prefix, tag);
        Kernel.run("ip", "netns", "add", name);
        TestNetns ns = new TestNetns(prefix, name);
        try {
            ns.fd = (int) Syscalls.check("open netns " + name, () -> Syscalls.libc().open("/var/run/netns/" + name,
                    LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Brings {@code lo} up inside (deleting the namespace if that fails); returns this. */
    public TestNetns loUp() {
        try {
            ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** An fd on the namespace (valid until close). */
    public int fd() {
        return fd;
    }

    /**
     * Runs {@code task} inside the namespace on a fresh thread that is discarded afterwards. A
     * RuntimeException of the task is rethrown as is, anything else wrapped in an
     * IllegalStateException.
     */
    public <T> T call(Callable<T> task) {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enter();
                result.set(task.call());
            } catch (Throwable e) {
                error.set(e);
            }
            // this thread is now in the namespace: it ends here and is never reused
        }, prefix + "-setns-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Throwable e = error.get();
        if (e != null) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e);
        }
        @SuppressWarnings("unchecked")
        T r = (T) result.get();
        return r;
    }

    /** Opens a netlink socket of {@code protocol} inside this namespace. */
    public NetlinkSocket openSocket(int protocol) {
        return call(() -> NetlinkSocket.open(protocol));
    }

    /**
     * Starts a new daemon thread that enters this namespace and runs {@code body} there (sockets it
     * opens belong to this namespace); the thread ends with the body and is never reused. A failure
     * of setns or of the body is handed to {@code failure}.
     */
    public Thread startIn(String label, Runnable body, Consumer<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                enter();
                body.run();
            } catch (Throwable e) {
                failure.accept(e);
            }
        }, prefix + "-" + label + "-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void enter() {
        Syscalls.check("setns " + name, () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
    }

    /** Runs {@code ip -n NAME args...} and returns its stdout; fails on a non-zero exit. */
    public String ip(String... args) {
        return Kernel.run(Kernel.concat(new String[] {"ip", "-n", name}, args));
    }

    /** Runs {@code bridge -n NAME args...} and returns its stdout; fails on a non-zero exit. */
    public String bridge(String... args) {
        return Kernel.run(Kernel.concat(new String[] {"bridge", "-n", name}, args));
    }

    /** Runs {@code ip netns exec NAME args...} (nft, sysctl) and returns its stdout. */
    public String exec(String... args) {
        return Kernel.run(Kernel.concat(new String[] {"ip", "netns", "exec", name}, args));
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Syscalls.closeQuietly(fd);
            fd = -1;
        }
        try {
            Kernel.run("ip", "netns", "del", name);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
