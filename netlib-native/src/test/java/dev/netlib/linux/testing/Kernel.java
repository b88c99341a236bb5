package dev.netlib.linux.testing;

import dev.netlib.linux.ffi.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * What the kernel tests share: the skip rule (Linux, root, iproute2) with a printed reason, unique
 * names under a prefix, running {@code ip}/{@code nft}/{@code bridge} for cross-checks, and the
 * calling thread's namespace inode.
 */
public final class Kernel {
    private Kernel() {}

    /** Skips the calling test, with the reason printed, unless we are root on Linux with iproute2. */
    public static void assumeRoot() {
        assume(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "kernel test needs Linux");
        assume(Syscalls.libc().geteuid() == 0, "kernel test needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN)");
        assume(haveIp(), "kernel test needs iproute2 (ip) to make namespaces");
    }

    private static void assume(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
        }
        Assumptions.assumeTrue(condition, reason);
    }

    public static boolean haveIp() {
        return List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    /** {@code PREFIX-TAG-<pid>-<random>}: pid and random suffix so reruns and parallel runs do not collide. */
    public static String uniqueName(String prefix, String tag) {
        return prefix + "-" + tag + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000));
    }

    /**
     * The network namespace inode of the calling thread. {@code /proc/thread-self}, never
     * {@code /proc/self}: the latter is the main thread's, which a switched thread would not change.
     */
    public static long threadNetnsInode() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString(); // net:[4026531840]
            return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/thread-self/ns/net", e);
        }
    }

    /** Exit status and output (stderr merged) of a command. */
    public record Result(int rc, String out) {}

    /** Runs a command (tests only) and returns its exit status and output, whatever the status. */
    public static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command (tests only) and returns its output; IllegalStateException on a non-zero exit. */
    public static String run(String... cmd) {
        Result r = exec(List.of(cmd));
        if (r.rc() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " -> exit " + r.rc() + ": " + r.out());
        }
        return r.out();
    }

    static String[] concat(String[] head, String[] tail) {
        String[] out = new String[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
