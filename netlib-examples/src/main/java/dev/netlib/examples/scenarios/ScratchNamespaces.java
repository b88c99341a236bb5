package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The throwaway namespaces of scenarios S3, S4, S6 and S7, named {@code nls-TAG-RANDOM-NAME} (a
 * prefix scripts/leftovers.sh recognises; {@link Sandbox} is one of these named {@code nlw-...}). It
 * also takes other cleanup steps (a thread to stop, a file to remove), run newest first together with the namespace
 * deletions and /etc/netns/NAME removals by {@link #close()} and, if the JVM is interrupted (Ctrl-C), by a shutdown hook.
 */
public final class ScratchNamespaces implements AutoCloseable {
    private final Netlib root;
    private final Path etcNetns;
    private final String prefix;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final List<Path> dirs = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    /**
     * @param etcNetns where the namespaces' /etc/netns/NAME directories go (hosts files written by
     *                 the network layer, resolv.conf): removed on close; null if none
     */
    public ScratchNamespaces(Netlib root, String tag, Path etcNetns) {
        this(root, "nls", tag, etcNetns, "netlib-scenario-cleanup");
    }

    /** Where the namespaces' /etc/netns/NAME directories go (the hosts root to give their Networks). */
    public Path etcNetns() {
        return etcNetns;
    }

    /** With namespace names {@code FAMILY-TAG-RANDOM-NAME} ({@link Sandbox} uses {@code nlw}). */
    ScratchNamespaces(Netlib root, String family, String tag, Path etcNetns, String hookName) {
        this.root = root;
        this.etcNetns = etcNetns;
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        this.prefix = family + "-" + tag + "-" + HexFormat.of().formatHex(r) + "-";
        this.hook = new Thread(this::close, hookName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The full namespace name for a short one: {@code ns1} gives {@code nls-s3-ab12-ns1}. */
    public String name(String shortName) {
        return prefix + shortName;
    }

    /** A new named namespace, deleted on close together with its /etc/netns/NAME directory. */
    public synchronized Namespace namespace(String shortName) {
        ensureOpen();
        Namespace ns = root.namespaces().create(name(shortName));
        if (etcNetns != null) {
            removeOnClose(etcNetns.resolve(name(shortName)));
        }
        onClose("delete namespace " + ns, ns::close);
        return ns;
    }

    /** Registers a cleanup step, run on close before the steps registered earlier. */
    public synchronized void onClose(String what, Runnable step) {
        ensureOpen();
        undo.push(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                System.err.println("cleanup: could not " + what + ": " + e.getMessage());
            }
        });
    }

    /** Registers the removal of a directory tree (e.g. /etc/netns/NAME) on close. */
    public synchronized void removeOnClose(Path dir) {
        dirs.add(dir);
        onClose("remove " + dir, () -> deleteTree(dir));
    }

    private void ensureOpen() {
        if (closed) {
            // interrupted: the shutdown hook cleaned up already; create nothing it would miss
            throw new IllegalStateException("interrupted: the scenario's namespaces were deleted");
        }
    }

    /** Runs every cleanup step, newest first. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
        if (Thread.currentThread() == hook) {
            // Ctrl-C: the main thread runs on until the JVM halts after the hooks, and may have been
            // writing a hosts file as we removed it; give it a moment and sweep the directories again
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Path dir : dirs) {
                try {
                    deleteTree(dir);
                } catch (RuntimeException e) {
                    System.err.println("cleanup: could not remove " + dir + ": " + e.getMessage());
                }
            }
        } else {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
    }

    /** Waits (up to 2 s) until thread/process {@code pid} has exited, i.e. no longer holds its namespace. */
    static void awaitExit(long pid) {
        Path proc = Path.of("/proc/" + pid);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (Files.exists(proc) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        Path network = networkFileOf(dir.resolve("hosts"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            // the container's hosts file was a name of its network's (netlib's
            // /etc/netns/.netlib-networks/ID): that file goes with the last container linking it
            if (network != null && ((Number) Files.getAttribute(network, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() == 1) {
                Files.deleteIfExists(network);
                try {
                    Files.deleteIfExists(network.getParent());
                } catch (DirectoryNotEmptyException others) {
                    // other networks' files
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The network's file that {@code hosts} (a container's) is another name of, or null. */
    private static Path networkFileOf(Path hosts) {
        Path networks = hosts.getParent().resolveSibling(".netlib-networks");
        try {
            if (!Files.isRegularFile(hosts, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(networks, LinkOption.NOFOLLOW_LINKS)
                    || ((Number) Files.getAttribute(hosts, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() < 2) {
                return null;
            }
            try (Stream<Path> s = Files.list(networks)) {
                for (Path f : s.toList()) {
                    if (Files.isSameFile(f, hosts)) {
                        return f;
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
