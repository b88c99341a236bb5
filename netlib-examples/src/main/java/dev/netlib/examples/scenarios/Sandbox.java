package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The throwaway namespaces of one scenario run, named {@code nlw-TAG-RANDOM-NAME} (a prefix
 * scripts/leftovers.sh recognises), deleted by {@link #close()} and, if the JVM is interrupted
 * (Ctrl-C), by a shutdown hook. Also removes the /etc/netns/NAME directories of its namespaces.
 */
public final class Sandbox implements AutoCloseable {
    private final Netlib root;
    private final String prefix;
    private final Path etcNetns;
    private final Deque<Namespace> namespaces = new ArrayDeque<>();
    private final Thread hook;
    private boolean closed;

    public Sandbox(Netlib root, String tag, Path etcNetns) {
        this.root = root;
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        this.prefix = "nlw-" + tag + "-" + HexFormat.of().formatHex(r) + "-";
        this.etcNetns = etcNetns;
        this.hook = new Thread(this::close, "netlib-sandbox-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The full namespace name for a short one: {@code box1} gives {@code nlw-s1-ab12-box1}. */
    public String name(String shortName) {
        return prefix + shortName;
    }

    /** A new namespace owned by the sandbox. */
    public synchronized Namespace namespace(String shortName) {
        Namespace ns = root.namespaces().create(name(shortName));
        namespaces.push(ns);
        return ns;
    }

    /** Deletes every namespace (newest first) and its /etc/netns directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!namespaces.isEmpty()) {
            Namespace ns = namespaces.pop();
            try {
                ns.close();
            } catch (RuntimeException e) {
                System.err.println("cleanup: could not delete " + ns + ": " + e.getMessage());
            }
            ns.name().ifPresent(this::removeEtc);
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
    }

    private void removeEtc(String nsName) {
        if (etcNetns == null || !nsName.startsWith(prefix)) {
            return;
        }
        Path dir = etcNetns.resolve(nsName);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("cleanup: could not delete " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            System.err.println("cleanup: could not list " + dir + ": " + e.getMessage());
        }
    }
}
