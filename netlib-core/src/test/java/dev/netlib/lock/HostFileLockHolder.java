package dev.netlib.lock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The other process of the lock tests, started through {@link LockHolderJvm#holding(Path)}: takes
 * the lock of FILE, prints {@code LOCKED}, then waits for a line on stdin (or its end); {@code
 * delete} deletes the file before the lock is released. Killed with SIGKILL while it waits, it
 * never releases the lock itself.
 *
 * <p>usage: HostFileLockHolder FILE
 */
public final class HostFileLockHolder {
    private HostFileLockHolder() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (HostFileLock lock = HostFileLock.acquire(file, PosixFilePermissions.fromString("rw-------"))) {
            System.out.println("LOCKED");
            System.out.flush();
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if ("delete".equals(line)) {
                Files.delete(file);
            }
        }
    }
}
