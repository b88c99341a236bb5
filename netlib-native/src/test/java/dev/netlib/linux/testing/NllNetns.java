package dev.netlib.linux.testing;

import dev.netlib.linux.ffi.LibC;
import dev.netlib.linux.ffi.LinuxConstants;
import dev.netlib.linux.ffi.Syscalls;
import dev.netlib.linux.netlink.NetlinkSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway named namespace for kernel tests ({@code nll-} prefix), made with {@code ip netns
 * add} and deleted by {@link #close()}. Sockets are opened inside it on a dedicated thread that
 * switches with setns and then ends: the test thread never changes namespace.
 */
public final class NllNetns implements AutoCloseable {
    private final String name;
    private int fd = -1;

    private NllNetns(String name) {
        this.name = name;
    }

    /** Skips the calling test (with the reason) unless we are root on Linux with iproute2. */
    public static void assumeRoot() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "kernel test needs Linux");
        Assumptions.assumeTrue(Syscalls.libc().geteuid() == 0, "kernel test needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN): skipped");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "kernel test needs iproute2 (ip) to make namespaces");
    }

    public static NllNetns create(String tag) {
        String name = "nll-" + tag + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        run("ip", "netns", "add", name);
        NllNetns ns = new NllNetns(name);
        try {
            LibC libc = Syscalls.libc();
            ns.fd = (int) Syscalls.check("open netns", () -> libc.open("/var/run/netns/" + name,
                    LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** An fd on the namespace (valid until close). */
    public int fd() {
        return fd;
    }

    /** Opens a netlink socket inside this namespace, from a short-lived thread of its own. */
    public NetlinkSocket openSocket(int protocol) {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Syscalls.check("setns", () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
                result.set(NetlinkSocket.open(protocol));
            } catch (Throwable e) {
                result.set(e);
            }
            // this thread is now in the namespace: it ends here and is never reused
        }, "nll-setns-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Object r = result.get();
        if (r instanceof NetlinkSocket s) {
            return s;
        }
        if (r instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException((Throwable) r);
    }

    /** Runs {@code ip -n NAME args...} and returns its stdout; fails on a non-zero exit. */
    public String ip(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = name;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return run(cmd);
    }

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
