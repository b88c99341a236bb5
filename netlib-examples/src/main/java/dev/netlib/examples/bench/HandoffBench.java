package dev.netlib.examples.bench;

import static dev.netlib.linux.internal.ffi.LinuxConstants.AF_NETLINK;
import static dev.netlib.linux.internal.ffi.LinuxConstants.CLONE_NEWNET;
import static dev.netlib.linux.internal.ffi.LinuxConstants.MNT_DETACH;
import static dev.netlib.linux.internal.ffi.LinuxConstants.MS_BIND;
import static dev.netlib.linux.internal.ffi.LinuxConstants.NETLINK_ROUTE;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_CLOEXEC;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_CREAT;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_EXCL;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_RDONLY;
import static dev.netlib.linux.internal.ffi.LinuxConstants.SOCK_CLOEXEC;
import static dev.netlib.linux.internal.ffi.LinuxConstants.SOCK_RAW;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.ffi.LibC;
import dev.netlib.linux.internal.ffi.Syscalls;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What it costs to create a named namespace on a thread other than the caller's, which DESIGN.md
 * requires of netlib (setns and unshare never touch a caller's thread). Three ways, each R rounds
 * of N namespaces, deleted between rounds:
 *
 * <ul>
 *   <li>{@code inline}: the floor's syscalls on the calling thread (open O_EXCL of the name,
 *       unshare, open /proc/thread-self/ns/net, bind mount, a NETLINK_ROUTE socket, setns back);
 *   <li>{@code worker}: the same syscalls handed to one long-lived worker thread, the caller
 *       waiting for each: the pure cost of the hand-off around real kernel work;
 *   <li>{@code netlib}: {@code namespaces().create(name)} (the hand-off plus netlib's own checks).
 * </ul>
 *
 * Prints one JSON line per way and round (ms per namespace); the order of the ways rotates from
 * round to round. Names use a unique prefix under
 * /var/run/netns and are all removed, also on failure; needs root; run it inside a private network
 * namespace ({@code unshare --net}) so the namespaces' setns back lands there.
 *
 * <p>Usage: {@code java -cp netlib-examples.jar dev.netlib.examples.bench.HandoffBench [N] [ROUNDS]} (default 300 3).
 */
public final class HandoffBench {
    private HandoffBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String prefix = "/var/run/netns/nlhb" + ProcessHandle.current().pid() + "-";
        LibC c = Syscalls.libc();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (Netlib host = Netlib.open()) {
            // netlib's first named create makes /var/run/netns a shared mount, as iproute2 does: the floor's
            // syscalls below then bind-mount into the same directory netlib uses
            host.namespaces().create("nlhb" + ProcessHandle.current().pid() + "-warm").close();
            int root = (int) Syscalls.check("open /proc/thread-self/ns/net",
                    () -> c.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC, 0));
            for (int r = 1; r <= rounds; r++) {
                String[] ways = {"inline", "worker", "netlib"};
                for (int k = 0; k < ways.length; k++) {
                    String way = ways[(k + r - 1) % ways.length]; // each round starts with another way: none always runs first, colder
                    long t0 = System.nanoTime();
                    try {
                        for (int i = 0; i < n; i++) {
                            String path = prefix + i;
                            switch (way) {
                                case "inline" -> create(c, path, root);
                                case "worker" -> worker.submit(() -> create(c, path, root)).get();
                                default -> {
                                    try (Namespace ns = host.namespaces().create(path.substring(path.lastIndexOf('/') + 1))) {
                                        ns.detach().close();
                                    }
                                }
                            }
                        }
                        System.out.println("{\"way\": \"" + way + "\", \"round\": " + r + ", \"ms_per_ns\": "
                                + Fixed.of((System.nanoTime() - t0) / 1e6 / n, 3) + "}");
                    } finally {
                        for (int i = 0; i < n; i++) {
                            c.umount2(prefix + i, MNT_DETACH);
                            c.unlink(prefix + i);
                        }
                    }
                    Thread.sleep(1000); // the kernel frees the namespaces in a workqueue: not into the next way's time
                }
            }
            c.close(root);
        } finally {
            worker.shutdownNow();
        }
    }

    /** One named namespace the way the floor makes it; the calling thread ends back in {@code root}. */
    private static Void create(LibC c, String path, int root) {
        Syscalls.closeQuietly((int) Syscalls.check("open " + path, () -> c.open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)));
        Syscalls.check("unshare", () -> c.unshare(CLONE_NEWNET));
        try {
            int fd = (int) Syscalls.check("open", () -> c.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC, 0));
            Syscalls.check("mount", () -> c.mount("/proc/thread-self/ns/net", path, "none", MS_BIND, null));
            int socket = (int) Syscalls.check("socket", () -> c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
            Syscalls.closeQuietly(socket);
            Syscalls.closeQuietly(fd);
        } finally {
            Syscalls.check("setns back", () -> c.setns(root, CLONE_NEWNET));
        }
        return null;
    }
}
