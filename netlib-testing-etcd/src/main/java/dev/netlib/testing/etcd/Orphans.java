package dev.netlib.testing.etcd;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what a JVM killed with SIGKILL left: its etcd data directories (marked by {@link
 * OwnerMark} with an owner that is gone) and any etcd still running on one. Usually there is
 * nothing left: the {@link Reaper} deletes the directory when the JVM dies, and the kernel kills etcd
 * ({@link DeathSignal}). This is for when the reaper died with the JVM (a kill of the whole process
 * group, an OOM kill of the cgroup) or could not finish, and where setpriv is missing as well.
 */
final class Orphans {
    /** A data directory's name: {@code LABEL-etcd-} and the digits Files.createTempDirectory adds. */
    private static final Pattern NAME = Pattern.compile(ThrowawayEtcd.LABEL.pattern() + "-etcd-[0-9]+");
    private static final long KILL_WAIT_MILLIS = 5_000;

    private Orphans() {}

    /**
     * Removes the data directories in {@code parents} whose owner is gone, after killing the etcd
     * that runs on one (found by its {@code --data-dir} argument). Only directories of this JVM's
     * user are looked at; one that cannot be removed stays for the next sweep.
     *
     * @return the directories removed
     */
    static List<Path> sweep(Collection<Path> parents) {
        List<Path> stale = new ArrayList<>();
        UserPrincipal me = currentUser();
        for (Path parent : parents) {
            stale.addAll(staleIn(parent, me));
        }
        if (stale.isEmpty()) {
            return stale;
        }
        killEtcdsOn(stale);
        List<Path> removed = new ArrayList<>();
        for (Path dir : stale) {
            try {
                delete(dir);
                removed.add(dir);
            } catch (IOException e) {
                System.err.println("netlib-testing-etcd: cannot remove the orphaned etcd directory " + dir + ": " + e);
            }
        }
        return removed;
    }

    private static List<Path> staleIn(Path parent, UserPrincipal me) {
        List<Path> stale = new ArrayList<>();
        if (me == null || !Files.isDirectory(parent)) {
            return stale;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "*-etcd-*")) {
            for (Path dir : entries) {
                if (NAME.matcher(dir.getFileName().toString()).matches()
                        && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && me.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))
                        && OwnerMark.readFrom(dir).map(OwnerMark::ownerGone).orElse(false)) {
                    stale.add(dir);
                }
            }
        } catch (IOException | DirectoryIteratorException unreadable) {
            // nothing of ours can be looked at there
        }
        return stale;
    }

    /** The user this JVM runs as: the owner of its {@code /proc/self}. */
    private static UserPrincipal currentUser() {
        try {
            return Files.getOwner(Path.of("/proc/self"));
        } catch (IOException | RuntimeException noProc) {
            return null;
        }
    }

    /**
     * SIGKILLs every process started with {@code --data-dir DIR/data} for one of {@code dirs} (etcd,
     * or the setpriv and sh it was started through), and waits until they have ended, so that
     * nothing writes into a directory being deleted.
     */
    private static void killEtcdsOn(List<Path> dirs) {
        List<String> dataDirs = new ArrayList<>();
        for (Path d : dirs) {
            dataDirs.add(d.resolve("data").toString());
        }
        List<ProcessHandle> killed = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(h -> {
                List<String> args = ProcFiles.commandLine(h.pid());
                int i = args.indexOf("--data-dir");
                if (i >= 0 && i + 1 < args.size() && dataDirs.contains(args.get(i + 1)) && h.destroyForcibly()) {
                    killed.add(h);
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MILLIS);
        for (ProcessHandle h : killed) {
            while (ProcFiles.runningSince(h.pid()).isPresent() && System.nanoTime() < deadline) {
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deletes a data directory, its owner mark last: a JVM killed part-way leaves a directory that
     * the next sweep still recognises as an orphan. Files that vanish meanwhile (another sweep) are
     * no error.
     */
    static void delete(Path dir) throws IOException {
        Path mark = dir.resolve(OwnerMark.FILE);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.equals(mark)) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                if (!d.equals(dir)) {
                    Files.deleteIfExists(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Files.deleteIfExists(mark);
        Files.deleteIfExists(dir);
    }
}
