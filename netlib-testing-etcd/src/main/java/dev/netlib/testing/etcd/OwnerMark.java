package dev.netlib.testing.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Whose a data directory is: the file {@code owner} in it names the JVM that made it by boot id,
 * pid namespace, pid and start time, so that another JVM can tell that owner is gone for good (a
 * SIGKILL runs no shutdown hook) and remove what it left. The start time is what keeps a reused
 * pid from passing for the owner: a later process with the same pid started later.
 */
final class OwnerMark {
    /** The mark's file name inside a data directory. */
    static final String FILE = "owner";

    private final String bootId;
    private final String pidNamespace;
    private final long pid;
    private final long startTicks;

    OwnerMark(String bootId, String pidNamespace, long pid, long startTicks) {
        this.bootId = bootId;
        this.pidNamespace = pidNamespace;
        this.pid = pid;
        this.startTicks = startTicks;
    }

    /**
     * The mark of this JVM.
     *
     * @return it, or empty where {@code /proc} does not say when this JVM started (not Linux)
     */
    static Optional<OwnerMark> current() {
        long pid = ProcessHandle.current().pid();
        OptionalLong since = ProcFiles.runningSince(pid);
        if (since.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OwnerMark(ProcFiles.bootId(), ProcFiles.pidNamespace(), pid, since.getAsLong()));
    }

    /**
     * Whether the owner has ended: it was of an earlier boot, or no process with its pid and start
     * time runs. Never true for a mark from another pid namespace, whose pid this JVM cannot look up.
     *
     * @return true when nothing will clean up after the owner
     */
    boolean ownerGone() {
        if (!bootId.equals(ProcFiles.bootId())) {
            return true;
        }
        if (!pidNamespace.equals(ProcFiles.pidNamespace())) {
            return false;
        }
        OptionalLong since = ProcFiles.runningSince(pid);
        return since.isEmpty() || since.getAsLong() != startTicks;
    }

    /** Writes the mark into {@code dir}. */
    void writeTo(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("boot", bootId);
        p.setProperty("pidns", pidNamespace);
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("start", Long.toString(startTicks));
        // written aside and renamed: a sweep in another JVM never reads half a mark (a cut start time
        // would read as "owner gone" and have a live owner's directory removed)
        Path tmp = dir.resolve(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "netlib-testing-etcd: the JVM that owns this etcd data directory");
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The mark in {@code dir}.
     *
     * @return it, or empty when there is none or it is not one of ours
     */
    static Optional<OwnerMark> readFrom(Path dir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
            p.load(in);
            return Optional.of(new OwnerMark(p.getProperty("boot", ""), p.getProperty("pidns", ""),
                    Long.parseLong(p.getProperty("pid", "")), Long.parseLong(p.getProperty("start", ""))));
        } catch (IOException | IllegalArgumentException noneOrNotOurs) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "pid " + pid + " (started at tick " + startTicks + ", " + pidNamespace + ", boot " + bootId + ")";
    }
}
