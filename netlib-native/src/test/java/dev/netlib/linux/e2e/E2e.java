package dev.netlib.linux.e2e;

import dev.netlib.Netlib;
import dev.netlib.error.BackendUnavailableException;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.linux.testing.ThrowawayNetns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the end-to-end kernel tests share: the skip rules (root, Linux, a backend on the class
 * path), test namespace names ({@code nlk-} prefix), the calling thread's namespace inode, and
 * running {@code ip} for cross-checks. The tests themselves only use netlib's public API to change
 * the kernel; {@code ip} only reads, except when a test deliberately changes something behind
 * netlib's back or cleans up after a failure.
 */
final class E2e {
    private E2e() {}

    /**
     * Opens the backend bound to the caller's namespace, or skips the calling test with a printed
     * reason when it cannot run here (not Linux, not root, no backend on the class path).
     */
    static Netlib openOrSkip() {
        skipUnlessRoot();
        try {
            return Netlib.open();
        } catch (BackendUnavailableException e) {
            return skip("no netlib backend found by Netlib.open(): " + e.getMessage());
        }
    }

    /** Skips (with a printed reason) unless this is Linux and we are root. */
    static void skipUnlessRoot() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            skip("kernel test needs Linux, this is " + System.getProperty("os.name"));
        }
        long euid = Syscalls.libc().geteuid();
        if (euid != 0) {
            skip("kernel test needs root (CAP_NET_ADMIN for netlink changes, CAP_SYS_ADMIN for named namespaces); euid is " + euid);
        }
    }

    /** Skips unless iproute2's {@code ip} is installed (for tests that need it beyond cross-checks). */
    static void skipUnlessIp() {
        if (!ThrowawayNetns.hasIp()) {
            skip("this test needs iproute2 (ip) installed");
        }
    }

    static <T> T skip(String reason) {
        System.out.println("SKIPPED kernel test: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    static boolean hasBridgeTool() {
        return Arrays.asList("/usr/sbin/bridge", "/sbin/bridge", "/usr/bin/bridge").stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    /** A fresh test namespace name {@code nlk-TAG-<pid>-<random>}, unique across reruns and threads. */
    static String name(String tag) {
        return ThrowawayNetns.uniqueName("nlk", tag);
    }

    /** The number of entries in /proc/self/fd (the directory stream itself counts once, every time). */
    static long openFdCount() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }

    /** Lines of /proc/self/mountinfo naming a netns file of a test: {@code .../netns/nlk-...}. */
    static List<String> nlkMounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains("/netns/nlk-")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** Names under /var/run/netns that start with {@code prefix}. */
    static List<String> netnsFiles(String prefix) {
        Path dir = Path.of("/var/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }

    /** The IPv4 addresses among {@code addresses} (the kernel adds IPv6 link-local ones by itself). */
    static List<dev.netlib.value.IpPrefix> ipv4(List<dev.netlib.model.AddressInfo> addresses) {
        return addresses.stream().map(dev.netlib.model.AddressInfo::address).filter(a -> !a.isIpv6()).toList();
    }

    /** Runs {@code ip ARGS} and returns its stdout; fails on a non-zero exit. */
    static String ip(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return run(cmd);
    }

    /** Runs a command, returns its stdout (stderr merged); fails on a non-zero exit or after 30 s. */
    static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.exit != 0) {
            throw new AssertionError(String.join(" ", cmd) + " -> exit " + r.exit + ": " + r.output);
        }
        return r.output;
    }

    record Result(int exit, String output) {}

    static Result tryRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", cmd), e);
        }
    }
}
