package dev.netlib.overlay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Waiting for what the agents' threads do, and reading the files they write, in the overlay's tests. */
final class OverlayWaits {
    private OverlayWaits() {}

    /** Waits until {@code cond} holds, at most 5 s. */
    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** The file's text, or "" if there is no file. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
