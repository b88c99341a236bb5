package dev.netlib.linux.rtnl;

import dev.netlib.linux.ffi.LinuxConstants;
import dev.netlib.linux.ffi.Syscalls;
import dev.netlib.linux.netlink.NetlinkSocket;
import dev.netlib.linux.testing.NllNetns;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A throwaway named namespace for the rtnl2 kernel tests ({@code nlr-} prefix), made with
 * {@code ip netns add}, deleted by {@link #close()}. A socket is opened inside it by a dedicated
 * thread that switches with setns and then ends: the test thread never changes namespace.
 */
final class NlrNetns implements AutoCloseable {
    private final String name;
    private int fd = -1;

    private NlrNetns(String name) {
        this.name = name;
    }

    static NlrNetns create(String tag) {
        String name = "nlr-" + tag + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        NllNetns.run("ip", "netns", "add", name);
        NlrNetns ns = new NlrNetns(name);
        try {
            ns.fd = (int) Syscalls.check("open netns " + name, () -> Syscalls.libc().open("/var/run/netns/" + name,
                    LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Opens a NETLINK_ROUTE socket inside this namespace from a thread of its own that then ends. */
    NetlinkSocket openRouteSocket() {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Syscalls.check("setns " + name, () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
                result.set(NetlinkSocket.open(dev.netlib.linux.netlink.NetlinkConstants.NETLINK_ROUTE));
            } catch (Throwable e) {
                result.set(e);
            }
            // this thread is in the namespace now: it ends here and is never reused
        }, "nlr-setns-" + name);
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

    /**
     * Starts a new thread that enters this namespace and runs {@code body} there (sockets it opens
     * belong to this namespace); the thread ends with the body and is never reused. A failure of
     * setns or of the body is handed to {@code failure}.
     */
    Thread startIn(String label, Runnable body, java.util.function.Consumer<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                Syscalls.check("setns " + name, () -> Syscalls.libc().setns(fd, LinuxConstants.CLONE_NEWNET));
                body.run();
            } catch (Throwable e) {
                failure.accept(e);
            }
        }, "nlr-" + label + "-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs {@code ip -n NAME args...}; returns stdout. */
    String ip(String... args) {
        return tool("ip", args);
    }

    /** Runs {@code bridge -n NAME args...}; returns stdout. */
    String bridge(String... args) {
        return tool("bridge", args);
    }

    private String tool(String tool, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = tool;
        cmd[1] = "-n";
        cmd[2] = name;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return NllNetns.run(cmd);
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Syscalls.closeQuietly(fd);
            fd = -1;
        }
        try {
            NllNetns.run("ip", "netns", "del", name);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
