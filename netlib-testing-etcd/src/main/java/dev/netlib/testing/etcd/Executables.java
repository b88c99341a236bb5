package dev.netlib.testing.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program as a shell would, plus fixed directories a service's or sudo's PATH may lack. */
final class Executables {
    private Executables() {}

    /**
     * The first executable {@code name} in a directory of the PATH, then in {@code extraDirs}.
     *
     * @return its path, or empty when there is none
     */
    static Optional<Path> find(String name, String... extraDirs) {
        String path = System.getenv().getOrDefault("PATH", "");
        String dirs = extraDirs.length == 0 ? path : path + ":" + String.join(":", extraDirs);
        for (String dir : dirs.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }
}
