package dev.netlib.linux.testing;

import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway named namespace for kernel tests, made with {@code ip netns add} and deleted by
 * {@link #close()}. Its name is {@code <prefix>-<tag>-<pid>-<random>} with the caller's helper
 * prefix (nll, nlr, nlf, ...) so scripts/leftovers.sh can find debris. Code runs inside it on a
 * dedicated thread that setns()es and then ends: the test thread never changes namespace.
 */
public final class ThrowawayNetns implements AutoCloseable {
    private final String name;
    private int fd = -1;

    private ThrowawayNetns(String name) {
        this.name = name;
    }

    /** Skips the calling test (with the reason) unless we are root on Linux with iproute2. */
    public static void assumeRoot() {
        assumeLinuxRoot();
        Assumptions.assumeTrue(hasIp(), "kernel test needs iproute2 (ip) to make namespaces");
    }

    /** Skips the calling test (with the reason) unless we are root on Linux; iproute2 not needed. */
    public static void assumeLinuxRoot() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "kernel test needs Linux");
        Assumptions.assumeTrue(Syscalls.libc().geteuid() == 0, "kernel test needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN): skipped");
    }

    /** Whether iproute2's {@code ip} is installed (tests cross-check the kernel with it). */
    public static boolean hasIp() {
        return Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/bin/ip"));
    }

    /**
     * The network namespace inode of the calling thread. {@code /proc/thread-self}, never
     * {@code /proc/self}: the latter is the main thread's, which a switched thread would not change.
     */
    public static long threadInode() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString(); // net:[4026531840]
            return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/thread-self/ns/net", e);
        }
    }

    /** A name {@code <prefix>-<tag>-<pid>-<random hex>}, unique across reruns and parallel forks. */
    public static String uniqueName(String prefix, String tag) {
        return prefix + "-" + tag + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** Creates {@code <prefix>-<tag>-...} with {@code ip netns add} and opens an fd on it. */
    public static ThrowawayNetns create(String prefix, String tag) {
        String name = uniqueName(prefix, tag);
        run("ip", "netns", "add", name);
        ThrowawayNetns ns = new ThrowawayNetns(name);
        try {
            ns.fd = (int) Syscalls.check("open netns " + name, () -> Syscalls.libc().open("/var/run/netns/" + name,
                    LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Brings {@code lo} up (a fresh namespace has it down); returns this. */
    public ThrowawayNetns loopbackUp() {
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

    /** Runs {@code task} inside the namespace on a fresh thread that is discarded afterwards. */
    public <T> T call(Callable<T> task) {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Syscalls.check("setns " + name, () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
                result.set(task.call());
            } catch (Throwable e) {
                error.set(e);
            }
            // this thread is now in the namespace: it ends here and is never reused
        }, prefix() + "-setns-" + name);
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

    /** Opens a netlink socket inside this namespace, from a short-lived thread of its own. */
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
                Syscalls.check("setns " + name, () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
                body.run();
            } catch (Throwable e) {
                failure.accept(e);
            }
        }, prefix() + "-" + label + "-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs {@code ip -n NAME args...} and returns its stdout; fails on a non-zero exit. */
    public String ip(String... args) {
        return tool("ip", args);
    }

    /** Runs {@code bridge -n NAME args...} and returns its stdout; fails on a non-zero exit. */
    public String bridge(String... args) {
        return tool("bridge", args);
    }

    /** Runs {@code ip netns exec NAME args...} (nft, sysctl) and returns its stdout. */
    public String exec(String... args) {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "ip";
        cmd[1] = "netns";
        cmd[2] = "exec";
        cmd[3] = name;
        System.arraycopy(args, 0, cmd, 4, args.length);
        return run(cmd);
    }

    private String tool(String tool, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = tool;
        cmd[1] = "-n";
        cmd[2] = name;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return run(cmd);
    }

    private String prefix() {
        int dash = name.indexOf('-');
        return dash < 0 ? name : name.substring(0, dash);
    }

    /** Runs a command, returns stdout+stderr; fails on a non-zero exit. */
    public static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " -> exit " + rc + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Syscalls.closeQuietly(fd);
            fd = -1;
        }
        try {
            run("ip", "netns", "del", name);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
