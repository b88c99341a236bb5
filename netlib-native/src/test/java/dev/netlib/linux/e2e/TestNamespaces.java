package dev.netlib.linux.e2e;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.testing.ThrowawayNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The named namespaces one test creates (through netlib, {@code nlk-} names). The test closes them
 * itself (try-with-resources); {@link #cleanUp()} runs in {@code @AfterEach} and removes whatever is
 * still there (so a failing test leaves nothing behind) and returns what it had to remove: a
 * namespace file or mount still present after the test closed its handles is a leak of netlib.
 */
final class TestNamespaces {
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /** Creates and tracks a named namespace {@code nlk-TAG-xxxxxx}. */
    Namespace create(Netlib netlib, String tag) {
        String name = E2e.name(tag);
        names.add(name);
        return netlib.namespaces().create(name);
    }

    /** Tracks a name the test creates some other way (e.g. with {@code ip netns add}). */
    String track(String name) {
        names.add(name);
        return name;
    }

    /**
     * Removes what is left of the tracked namespaces (the /var/run/netns file and its mount) and
     * returns a description of each leftover; empty when the test cleaned up after itself.
     */
    List<String> cleanUp() {
        List<String> leftovers = new ArrayList<>();
        for (String name : names) {
            Path file = Path.of("/var/run/netns", name);
            boolean mounted = E2e.nlkMounts().stream().anyMatch(l -> l.contains("/netns/" + name + " "));
            if (Files.exists(file) || mounted) {
                leftovers.add(name + (mounted ? " (still mounted)" : " (file only)"));
                if (ThrowawayNetns.hasIp()) {
                    E2e.tryRun("ip", "netns", "del", name);
                }
                if (E2e.nlkMounts().stream().anyMatch(l -> l.contains("/netns/" + name + " "))) {
                    E2e.tryRun("umount", "-l", file.toString());
                }
                try {
                    Files.deleteIfExists(file);
                } catch (java.io.IOException e) {
                    leftovers.add(name + ": cannot delete " + file + ": " + e);
                }
            }
        }
        names.clear();
        return leftovers;
    }
}
