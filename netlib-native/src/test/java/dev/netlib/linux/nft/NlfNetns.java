package dev.netlib.linux.nft;

import dev.netlib.linux.ffi.LinuxConstants;
import dev.netlib.linux.ffi.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway named namespace for the nft kernel tests ({@code nlf-} prefix), made with {@code ip
 * netns add} and deleted by {@link #close()}. Code runs inside it on a short-lived thread that
 * setns()es and then ends; the test thread never changes namespace.
 */
final class NlfNetns implements AutoCloseable {
    private final String name;
    private int fd = -1;

    private NlfNetns(String name) {
        this.name = name;
    }

    static void assumeRoot() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "kernel test needs Linux");
        Assumptions.assumeTrue(Syscalls.libc().geteuid() == 0, "kernel test needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN): skipped");
    }

    static NlfNetns create(String tag) {
        String name = "nlf-" + tag + "-" + ProcessHandle.current().pid() % 100000 + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
        run("ip", "netns", "add", name);
        NlfNetns ns = new NlfNetns(name);
        try {
            ns.fd = (int) Syscalls.check("open netns", () -> Syscalls.libc().open("/var/run/netns/" + name,
                    LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0));
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Runs {@code task} inside the namespace on a fresh thread that is discarded afterwards. */
    <T> T call(Callable<T> task) {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Syscalls.check("setns", () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
                result.set(task.call());
            } catch (Throwable e) {
                error.set(e);
            }
        }, "nlf-setns-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (error.get() != null) {
            Throwable e = error.get();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e);
        }
        @SuppressWarnings("unchecked")
        T r = (T) result.get();
        return r;
    }

    /** {@code ip -n NAME args...}. */
    String ip(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = name;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return run(cmd);
    }

    /** {@code ip netns exec NAME args...} (nft, sysctl). */
    String exec(String... args) {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "ip";
        cmd[1] = "netns";
        cmd[2] = "exec";
        cmd[3] = name;
        System.arraycopy(args, 0, cmd, 4, args.length);
        return run(cmd);
    }

    static String run(String... cmd) {
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
