package dev.netlib.linux.internal.netns;

import dev.netlib.linux.testing.ThrowawayNetns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for the netns kernel tests: the nln- prefix, root checks, iproute2 cross-checks. */
public final class NlnSupport {
    private NlnSupport() {}

    /** Skips the calling test (with the reason) unless we are root on Linux. */
    public static void assumeRoot() {
        ThrowawayNetns.assumeLinuxRoot();
    }

    public static boolean haveIp() {
        return ThrowawayNetns.hasIp();
    }

    /** A fresh nln- name (pid and random suffix so reruns and parallel runs do not collide). */
    public static String uniqueName(String tag) {
        return ThrowawayNetns.uniqueName("nln", tag);
    }

    /** The inode of the calling thread's network namespace. */
    public static long threadInode() {
        return NsFiles.currentInode();
    }

    /** Open fds of this process. */
    public static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Open fds of this process with what they point at (for a message when counts differ). */
    public static java.util.SortedMap<Integer, String> fdTable() {
        java.util.SortedMap<Integer, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(p -> {
                try {
                    out.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException | RuntimeException e) {
                    // closed meanwhile (e.g. the fd of the listing itself)
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * The fds of the kinds netlib opens: sockets (netlink and those opened inside namespaces) and
     * namespace files. The JVM may open or close other fds (jars, pipes of finished child
     * processes) at any time; these it does not.
     */
    public static List<String> netlibKindFds() {
        return fdTable().values().stream()
                .filter(t -> t.startsWith("socket:[") || t.startsWith("net:[") || t.contains("/netns/"))
                .sorted()
                .toList();
    }

    /** Runs a command (tests only) and returns stdout; fails on a non-zero exit. */
    public static String sh(String... cmd) {
        return ThrowawayNetns.run(cmd);
    }

    public record Result(int rc, String out) {}

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

    /**
     * The nln- names one test makes ({@link #name}); {@link #removeAll} in {@code @AfterEach} deletes
     * whatever of them a failing test left behind.
     */
    public static final class Names {
        private final List<String> names = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        /** A fresh nln- name, remembered for {@link #removeAll}. */
        public String name(String tag) {
            String n = uniqueName(tag);
            names.add(n);
            return n;
        }

        /** Whether {@code name} was handed out here. */
        public boolean contains(String name) {
            return names.contains(name);
        }

        /** Removes the leftover namespaces among the names handed out (best effort). */
        public void removeAll() {
            names.forEach(NlnSupport::removeQuietly);
        }
    }

    /** Removes a leftover named namespace of a failed test (best effort). */
    public static void removeQuietly(String name) {
        Path p = NsFiles.NETNS_RUN_DIR.resolve(name);
        if (Files.exists(p)) {
            exec(List.of("ip", "netns", "del", name));
        }
    }
}
