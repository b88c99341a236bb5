package dev.netlib.lock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock that every thread of every process sharing {@code file} respects: first a lock
 * inside this JVM, then an fcntl write lock on the file ({@link FileChannel#lock()}). Both are
 * needed: a POSIX record lock belongs to the process (fcntl(2)), so it cannot keep two threads of
 * one JVM apart, and Java refuses a second lock on one file in one JVM with
 * OverlappingFileLockException instead of waiting. The kernel drops a process's fcntl locks when it
 * closes the file or dies (SIGKILL included), so a crashed holder never leaves the lock taken.
 *
 * <p>The file is opened by name without following a symbolic link, created with the given mode when
 * it is missing. A holder may delete the file while it holds the lock (a hosts file that lost its
 * last line is removed so): a process that waited for the lock then finds that the name no longer
 * leads to the inode it locked, and starts again on the name's new file, so two processes never
 * believe they hold "the" lock on two different inodes.
 *
 * <p>Not reentrant: a thread must not take the lock on a file whose lock it already holds (with a
 * JVM lock shared by several files, it may take another file's).
 */
public final class HostFileLock implements AutoCloseable {
    /** The JVM locks of {@link #acquire(Path, Set)}, one per absolute path; as many as files locked in this JVM. */
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private HostFileLock(ReentrantLock jvmLock, FileChannel channel, FileLock lock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code file}, waiting while another thread or process holds it; within this
     * JVM the threads exclude each other through one lock per absolute path.
     *
     * @param file the lock file; its directory must exist
     * @param mode the permissions of the file if this call creates it (applied whatever the umask)
     * @return the held lock; close it to release
     * @throws IOException when the file cannot be created, opened or locked, or is a symbolic link
     */
    public static HostFileLock acquire(Path file, Set<PosixFilePermission> mode) throws IOException {
        return acquire(file, mode, JVM_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock()));
    }

    /**
     * As {@link #acquire(Path, Set)}, with a JVM lock the caller chooses: one lock for several files
     * when one file may have several names (hard links), which a lock per path would not see.
     *
     * @param file the lock file; its directory must exist
     * @param mode the permissions of the file if this call creates it
     * @param jvmLock the lock that keeps this JVM's threads apart for this file
     * @return the held lock; close it to release
     * @throws IOException when the file cannot be created, opened or locked, or is a symbolic link
     */
    public static HostFileLock acquire(Path file, Set<PosixFilePermission> mode, ReentrantLock jvmLock) throws IOException {
        Objects.requireNonNull(mode, "mode");
        jvmLock.lock();
        boolean held = false;
        try {
            HostFileLock l = lockFile(file, mode, jvmLock);
            held = true;
            return l;
        } finally {
            if (!held) {
                jvmLock.unlock();
            }
        }
    }

    private static HostFileLock lockFile(Path file, Set<PosixFilePermission> mode, ReentrantLock jvmLock) throws IOException {
        while (true) {
            Object before = fileKey(file);
            if (before == null) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
                    Files.setPosixFilePermissions(file, mode); // the umask may have taken bits away
                } catch (FileAlreadyExistsException raced) {
                    // another process created it: take that one
                }
                continue;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException gone) {
                continue; // deleted between the look and the open
            }
            boolean keep = false;
            try {
                FileLock lock = ch.lock(); // F_SETLKW: waits while another process holds it
                // the name may have been deleted (or given another file) while this waited: a lock on
                // the old inode would exclude nobody who comes later, so start again on the new one
                if (before.equals(fileKey(file))) {
                    keep = true;
                    return new HostFileLock(jvmLock, ch, lock);
                }
            } finally {
                if (!keep) {
                    ch.close(); // releases the fcntl lock too
                }
            }
        }
    }

    /** The file's identity (device and inode), or null if there is none; a symbolic link is refused. */
    private static Object fileKey(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new IOException(file + " is a symbolic link; refusing to lock through it");
            }
            return a.fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The locked file, open for reading and writing, for holders whose lock file is also their data
     * (valid until {@link #close()}).
     *
     * @return the channel
     */
    public FileChannel channel() {
        return channel;
    }

    /**
     * Releases the fcntl lock and closes the file, then lets the next thread of this JVM in; a
     * second call does nothing. Must be called by the thread that acquired the lock.
     *
     * @throws IOException when closing the file fails (the JVM lock is released all the same)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } finally {
            jvmLock.unlock();
        }
    }
}
