package dev.netlib.ipam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/** The IpPool contract on the local-disk store, one temporary directory per test. */
class FileIpPoolTest extends IpPoolContract {
    private Path dir;

    @Override
    protected IpamStore newStore() throws Exception {
        dir = Files.createTempDirectory("nli-ipam-");
        return FileIpamStore.open(dir);
    }

    /** Every write costs two fsyncs (file and directory): fewer allocations keep the suite fast. */
    @Override
    protected int allocationsPerThread() {
        return 60;
    }

    @AfterEach
    void removeDir() throws Exception {
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws Exception {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
