package dev.netlib.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of the directories the benchmarks make (temporary stores, /etc/netns entries, agents' records); the scenarios, which bench depends on, keep their own. */
public final class FileTrees {
    private FileTrees() {}

    /**
     * Deletes {@code dir} and everything under it, if it exists. Equivalent to: {@code rm -rf DIR}.
     *
     * @param dir the directory
     * @throws IOException when something cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
