package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.nio.file.Path;

/**
 * The throwaway namespaces of one scenario run, named {@code nlw-TAG-RANDOM-NAME} (a prefix
 * scripts/leftovers.sh recognises), deleted by {@link #close()} and, if the JVM is interrupted
 * (Ctrl-C), by a shutdown hook. Also removes the /etc/netns/NAME directories of its namespaces.
 * A {@link ScratchNamespaces} with the {@code nlw} prefix and no cleanup steps of its own.
 */
public final class Sandbox implements AutoCloseable {
    private final ScratchNamespaces scratch;

    public Sandbox(Netlib root, String tag, Path etcNetns) {
        this.scratch = new ScratchNamespaces(root, "nlw", tag, etcNetns, "netlib-sandbox-cleanup");
    }

    /** The full namespace name for a short one: {@code box1} gives {@code nlw-s1-ab12-box1}. */
    public String name(String shortName) {
        return scratch.name(shortName);
    }

    /** Where its namespaces' /etc/netns/NAME directories go: the hosts root for the Networks that uses them. */
    public Path etcNetns() {
        return scratch.etcNetns();
    }

    /** A new namespace owned by the sandbox. */
    public Namespace namespace(String shortName) {
        return scratch.namespace(shortName);
    }

    /** Deletes every namespace (newest first) and its /etc/netns directory. Idempotent. */
    @Override
    public void close() {
        scratch.close();
    }
}
