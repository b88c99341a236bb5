package dev.netlib.linux.internal.netns;

import dev.netlib.error.Errno;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NetlibException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reading namespace identities from /proc. A namespace's identity is the inode of its nsfs file;
 * {@code readlink} of an nsfs fd or of {@code /proc/thread-self/ns/net} gives {@code net:[INODE]}.
 * Always {@code thread-self}: setns and unshare act per thread, {@code /proc/self} is the main thread.
 */
final class NsFiles {
    /** Where iproute2 keeps named namespaces (NETNS_RUN_DIR in iproute2's ip/ipnetns.c). */
    static final Path NETNS_RUN_DIR = Path.of("/var/run/netns");
    /** The calling thread's network namespace. */
    static final String THREAD_NET = "/proc/thread-self/ns/net";

    private NsFiles() {}

    /** The inode of the network namespace the calling thread is in. */
    static long currentInode() {
        return parse(readlink(Path.of(THREAD_NET)), THREAD_NET);
    }

    /**
     * The inode of the namespace behind {@code fd}, or -1 if the fd is not on nsfs. {@code stat}
     * through /proc/thread-self/fd/N, because readlink of an fd opened through a bind mount such as
     * /var/run/netns/NAME shows the mount's path, not {@code net:[INODE]}. That the nsfs file is a
     * network namespace (not, say, a mount namespace) is checked by setns(CLONE_NEWNET) when it is
     * entered.
     */
    static long inodeOfFd(int fd) {
        Path p = Path.of("/proc/thread-self/fd/" + fd);
        String target = describeFd(fd);
        if (isNsfsLink(target)) {
            // opened through /proc (not a bind mount): the link names the namespace type
            return target.startsWith("net:[") ? parse(target, "fd " + fd) : -1;
        }
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino"); // one stat for both
            long dev = ((Number) a.get("dev")).longValue();
            if (dev != nsfsDevice()) {
                return -1;
            }
            return ((Number) a.get("ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new KernelException(Errno.EIO, "stat " + p, e.getMessage());
        }
    }

    /**
     * True for what readlink of an fd opened through /proc gives for a namespace: {@code TYPE:[INODE]}
     * with TYPE in {@code [a-z_]+} (nsfs's ns_dname). Written out rather than as a regular
     * expression: this runs for every namespace created, and a pattern would be compiled each time.
     */
    static boolean isNsfsLink(String target) {
        int colon = target.indexOf(':');
        int n = target.length();
        if (colon <= 0 || n < colon + 4 || target.charAt(colon + 1) != '[' || target.charAt(n - 1) != ']') {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = target.charAt(i);
            if ((c < 'a' || c > 'z') && c != '_') {
                return false;
            }
        }
        for (int i = colon + 2; i < n - 1; i++) {
            char c = target.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static volatile long nsfsDev = -1;

    /** The device of the nsfs pseudo file system (one superblock for all namespaces). */
    static long nsfsDevice() {
        long d = nsfsDev;
        if (d < 0) {
            try {
                d = ((Number) Files.getAttribute(Path.of(THREAD_NET), "unix:dev")).longValue();
            } catch (IOException e) {
                throw new KernelException(Errno.EIO, "stat " + THREAD_NET, e.getMessage());
            }
            nsfsDev = d;
        }
        return d;
    }

    /** The inode of an nsfs file by path ({@code stat}), or -1 if it does not exist. */
    static long inodeOfPath(Path path) {
        try {
            Object ino = Files.getAttribute(path, "unix:ino");
            return ((Number) ino).longValue();
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        } catch (IOException | UnsupportedOperationException e) {
            throw new NetlibException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** What an fd points at, for error messages. */
    static String describeFd(int fd) {
        try {
            return readlink(Path.of("/proc/thread-self/fd/" + fd));
        } catch (RuntimeException e) {
            return "fd " + fd;
        }
    }

    private static String readlink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, "readlink " + link, e.getMessage());
        }
    }

    private static long parse(String target, String what) {
        // "net:[4026531840]"
        if (!target.startsWith("net:[") || !target.endsWith("]")) {
            throw new InvalidConfigException(what + " is not a network namespace (it is " + target + ")");
        }
        return Long.parseLong(target.substring(5, target.length() - 1));
    }

    /** sysctl(8)'s key rule: a key with '/' is a path below /proc/sys, otherwise dots separate levels. */
    static String sysctlPath(String key) {
        String rel = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        if (rel.startsWith("/") || rel.contains("..") || rel.isEmpty()) {
            throw new InvalidConfigException("sysctl key '" + key + "' is not allowed; use a relative key such as net.ipv4.ip_forward");
        }
        return "/proc/sys/" + rel;
    }
}
