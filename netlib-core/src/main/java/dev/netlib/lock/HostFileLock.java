package dev.netlib.lock;

import dev.netlib.error.LockTimeoutException;
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
 * <p>Every descriptor this process opens on the file must be opened and closed under the same JVM
 * lock: closing any descriptor of a file drops all of the process's fcntl locks on it (fcntl(2),
 * "the lock is lost"), even while another thread holds one through another descriptor.
 *
 * <p>Waiting is bounded. A free lock costs one non-blocking fcntl (F_SETLK). A busy one is waited
 * for in the kernel (F_SETLKW), so the waiter goes on the moment the holder lets go (a virtual
 * thread polls instead, with pauses from 0.2 ms doubling to 10 ms: see LockWait); after 2 s (or
 * half the timeout, if less) one WARN names the file, the waiting thread and the holder (its pid
 * from /proc/locks, its name and whether it is stopped, from /proc/PID/stat), and at the timeout
 * ({@link LockTimeout}, 60 s unless the caller says otherwise) the wait ends with a {@link
 * LockTimeoutException} that says the same, how long it waited and which setting changes the
 * timeout. So a holder that is stopped (SIGSTOP, a debugger) or stuck holds the others up for a
 * bounded time, and visibly. The JVM part waits within the same deadline. A thread interrupted
 * while it waits gets an {@link java.io.InterruptedIOException} or a {@link
 * java.nio.channels.ClosedByInterruptException}.
 *
 * <p>The JVM lock of a file is this class's own: one per real path (the file's directory with every
 * symbolic link resolved, and the file's name), the same for every user of the file in this JVM
 * however it spells the path. With two JVM locks for one file, a second thread would get past the
 * JVM part while the first holds the file, open its own descriptor, be refused by Java
 * (OverlappingFileLockException) and, closing that descriptor, drop the first thread's fcntl lock:
 * another process could then take the file while the first thread still believes it holds it. A
 * file with several names (hard links) has one JVM lock per name; its users pass one more lock,
 * shared by all its names ({@code namesLock}), taken before the file's own.
 *
 * <p>Not reentrant: a thread must not take the lock on a file whose lock it already holds (with a
 * names lock shared by several files, it may take another file's). {@link Reusable} keeps the file
 * open between holds, for callers that lock the same file often.
 */
public final class HostFileLock implements AutoCloseable {
    /**
     * The JVM lock of every file locked in this JVM, by real path (see {@link #realPath(Path)}); as
     * many as files locked in this JVM. Entries are never removed: a thread may be waiting on one.
     */
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    /** The lock shared by the names of a file with several, or null; taken before {@link #jvmLock}. */
    private final ReentrantLock namesLock;
    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock lock;
    /** The locked file's identity (device and inode), as {@link BasicFileAttributes#fileKey()} gives it. */
    private final Object fileKey;
    /** Whether releasing closes the file (false: a {@link Reusable} keeps it). */
    private final boolean closesFile;
    private boolean closed;

    private HostFileLock(ReentrantLock namesLock, ReentrantLock jvmLock, FileChannel channel, FileLock lock, Object fileKey, boolean closesFile) {
        this.namesLock = namesLock;
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
        this.closesFile = closesFile;
    }

    /**
     * Takes the lock of {@code file}, waiting while another thread or process holds it, at most
     * {@link LockTimeout#DEFAULT_DURATION}.
     *
     * @param file the lock file; its directory must exist
     * @param mode the permissions of the file if this call creates it (applied whatever the umask)
     * @return the held lock; close it to release
     * @throws IOException when the file cannot be created, opened or locked, or is a symbolic link
     * @throws LockTimeoutException when another thread or process held it until the timeout
     */
    public static HostFileLock acquire(Path file, Set<PosixFilePermission> mode) throws IOException {
        return acquire(file, mode, null, LockTimeout.DEFAULT);
    }

    /**
     * As {@link #acquire(Path, Set)}, giving up after {@code timeout} (the JVM lock and the file's
     * within one deadline).
     *
     * @param file the lock file; its directory must exist
     * @param mode the permissions of the file if this call creates it (applied whatever the umask)
     * @param timeout how long to wait, and how its user changes that
     * @return the held lock; close it to release
     * @throws IOException when the file cannot be created, opened or locked, or is a symbolic link
     * @throws LockTimeoutException when another thread or process held it until the timeout
     */
    public static HostFileLock acquire(Path file, Set<PosixFilePermission> mode, LockTimeout timeout) throws IOException {
        return acquire(file, mode, null, timeout);
    }

    /**
     * As {@link #acquire(Path, Set, LockTimeout)}, for a file that may have several names (hard
     * links): {@code namesLock} is taken first, then the file's own JVM lock (which is per name),
     * all within one deadline. Every thread that uses the file in this JVM under any of its names
     * must pass the same {@code namesLock} (one lock for a whole family of files does).
     *
     * @param file the lock file; its directory must exist
     * @param mode the permissions of the file if this call creates it (applied whatever the umask)
     * @param namesLock the lock shared by every name of the file, or null when it has one name
     * @param timeout how long to wait, and how its user changes that
     * @return the held lock; close it to release
     * @throws IOException when the file cannot be created, opened or locked, or is a symbolic link
     * @throws LockTimeoutException when another thread or process held it until the timeout
     */
    public static HostFileLock acquire(Path file, Set<PosixFilePermission> mode, ReentrantLock namesLock, LockTimeout timeout)
            throws IOException {
        return acquireLocked(file, Objects.requireNonNull(mode, "mode"), namesLock, timeout);
    }

    /**
     * As {@link #acquire(Path, Set, ReentrantLock, LockTimeout)}, for a file that must exist already:
     * nothing is created, and a file that is absent (or deleted while this waited) is a
     * NoSuchFileException. For a writer that may only change a file somebody else made, and that
     * must not leave an empty one behind where there was none.
     *
     * @param file the file; its directory must exist
     * @param namesLock the lock shared by every name of the file, or null when it has one name
     * @param timeout how long to wait, and how its user changes that
     * @return the held lock; close it to release
     * @throws java.nio.file.NoSuchFileException when the file is absent
     * @throws IOException when the file cannot be opened or locked, or is a symbolic link
     * @throws LockTimeoutException when another thread or process held it until the timeout
     */
    public static HostFileLock acquireExisting(Path file, ReentrantLock namesLock, LockTimeout timeout) throws IOException {
        return acquireLocked(file, null, namesLock, timeout);
    }

    /** {@code mode}: the permissions of a file this call creates; null: none is created. */
    private static HostFileLock acquireLocked(Path file, Set<PosixFilePermission> mode, ReentrantLock namesLock, LockTimeout timeout)
            throws IOException {
        ReentrantLock jvmLock = jvmLockOf(file);
        LockWait wait = new LockWait(file, timeout);
        lockJvm(wait, namesLock, jvmLock);
        boolean held = false;
        try {
            Locked l = lockFile(file, mode, wait);
            held = true;
            return new HostFileLock(namesLock, jvmLock, l.channel, l.lock, l.key, true);
        } finally {
            if (!held) {
                unlockJvm(namesLock, jvmLock);
            }
        }
    }

    /**
     * Takes only the JVM part of the lock of {@code file}: for a user whose lock file cannot be used
     * (no permission, a read-only file system) and who goes on with this JVM's threads kept apart.
     * Waits as {@link #acquire(Path, Set, LockTimeout)} does, WARN and timeout included.
     *
     * @param file the lock file whose JVM lock to take, named in the WARN and the exception
     * @param timeout how long to wait, and how its user changes that
     * @return the lock taken; the caller unlocks it, on this thread
     * @throws java.io.InterruptedIOException when the thread is interrupted while it waits
     * @throws LockTimeoutException when another thread held it until the timeout
     */
    public static ReentrantLock lockJvmOnly(Path file, LockTimeout timeout) throws java.io.InterruptedIOException {
        ReentrantLock jvmLock = jvmLockOf(file);
        new LockWait(file, timeout).lockJvm(jvmLock);
        return jvmLock;
    }

    /** The JVM lock of {@code file}: the same for every spelling of its path. */
    private static ReentrantLock jvmLockOf(Path file) {
        Path key = realPath(file);
        // no computeIfAbsent lambda: this runs on a fresh JVM's first nf_tables call (NftLock), where
        // the lambda's bootstrap (invokedynamic) would cost milliseconds
        ReentrantLock known = JVM_LOCKS.get(key);
        if (known != null) {
            return known;
        }
        ReentrantLock created = new ReentrantLock();
        known = JVM_LOCKS.putIfAbsent(key, created);
        return known != null ? known : created;
    }

    /**
     * The file's real path without following the file itself (it is opened so, and refused if it is
     * a symbolic link): its directory's real path and its name. Parts that do not exist yet (a
     * directory the caller makes on first use) are kept as written, under the real path of the
     * deepest one that exists, so the answer is the same before and after they are made.
     */
    static Path realPath(Path file) {
        Path abs = file.toAbsolutePath();
        Path rest = abs.getFileName();
        if (rest == null) {
            return abs; // the root directory: nothing to resolve
        }
        for (Path dir = abs.getParent(); dir != null; dir = dir.getParent()) {
            try {
                return dir.toRealPath().resolve(rest).normalize();
            } catch (IOException missingOrNotADirectory) {
                // ENOENT, ENOTDIR, EACCES: the lock itself will fail or make it; key it from higher up
                rest = dir.getFileName() == null ? rest : dir.getFileName().resolve(rest);
            }
        }
        return abs.normalize();
    }

    /** Takes {@code namesLock} (if any), then {@code jvmLock}, within {@code wait}'s deadline; on failure neither is held. */
    private static void lockJvm(LockWait wait, ReentrantLock namesLock, ReentrantLock jvmLock) throws java.io.InterruptedIOException {
        if (namesLock == null) {
            wait.lockJvm(jvmLock);
            return;
        }
        wait.lockJvm(namesLock);
        boolean held = false;
        try {
            wait.lockJvm(jvmLock);
            held = true;
        } finally {
            if (!held) {
                namesLock.unlock();
            }
        }
    }

    /** Releases what {@link #lockJvm} took, in the reverse order. */
    private static void unlockJvm(ReentrantLock namesLock, ReentrantLock jvmLock) {
        jvmLock.unlock();
        if (namesLock != null) {
            namesLock.unlock();
        }
    }

    /** An open file, locked, that its name led to when the lock was taken. */
    private record Locked(FileChannel channel, FileLock lock, Object key) {}

    /** Opens (creating it if missing) and locks the file its name leads to, within {@code wait}'s deadline; the caller holds the JVM lock. */
    private static Locked lockFile(Path file, Set<PosixFilePermission> mode, LockWait wait) throws IOException {
        while (true) {
            Object before = fileKey(file);
            if (before == null) {
                if (mode == null) {
                    throw new NoSuchFileException(file.toString()); // not ours to create
                }
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
                FileLock lock = wait.lockFile(ch); // waits while another process holds it, until the deadline
                // the name may have been deleted (or given another file) while this waited: a lock on
                // the old inode would exclude nobody who comes later, so start again on the new one
                if (before.equals(fileKey(file))) {
                    keep = true;
                    return new Locked(ch, lock, before);
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
     * The locked file's identity (device and inode, as {@link BasicFileAttributes#fileKey()} gives
     * it): a holder can tell whether a name still leads to the file it holds.
     *
     * @return the key, comparable with equals to another read of the file's attributes
     */
    public Object fileKey() {
        return fileKey;
    }

    /**
     * Releases the fcntl lock and closes the file (unless a {@link Reusable} keeps it), then lets the
     * next thread of this JVM in; a second call does nothing. Must be called by the thread that
     * acquired the lock.
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
            if (closesFile) {
                channel.close();
            }
        } finally {
            unlockJvm(namesLock, jvmLock);
        }
    }

    /**
     * A lock file kept open between holds: each {@link #acquire()} costs the fcntl lock and one
     * {@code stat} that checks the name still leads to the open file, instead of an open, two
     * {@code stat}s and a close. The file stays open until {@link #close()}. It shares the file's
     * JVM lock with every other user of the file in this JVM (see {@link HostFileLock}).
     */
    public static final class Reusable implements AutoCloseable {
        private final Path file;
        private final Set<PosixFilePermission> mode;
        private final ReentrantLock jvmLock;
        private final LockTimeout timeout;
        /** The open file and the identity its name had when it was opened; guarded by jvmLock. */
        private FileChannel channel;
        private Object key;

        /**
         * A lock on {@code file}, not yet opened or taken, whose every {@link #acquire()} waits at
         * most {@link LockTimeout#DEFAULT_DURATION}.
         *
         * @param file the lock file; its directory must exist when the lock is first taken
         * @param mode the permissions of the file if it is created
         */
        public Reusable(Path file, Set<PosixFilePermission> mode) {
            this(file, mode, LockTimeout.DEFAULT);
        }

        /**
         * A lock on {@code file}, not yet opened or taken, whose every {@link #acquire()} and whose
         * {@link #close()} give up after {@code timeout}.
         *
         * @param file the lock file; its directory must exist when the lock is first taken
         * @param mode the permissions of the file if it is created
         * @param timeout how long each acquire (and the close) waits, and how its user changes that
         */
        public Reusable(Path file, Set<PosixFilePermission> mode, LockTimeout timeout) {
            this.file = Objects.requireNonNull(file, "file");
            this.mode = Objects.requireNonNull(mode, "mode");
            this.jvmLock = jvmLockOf(file);
            this.timeout = Objects.requireNonNull(timeout, "timeout");
        }

        /**
         * Takes the lock, waiting while another thread or process holds it, up to the timeout; the
         * file is opened on first use, and again if its name was given to another file meanwhile
         * (or a wait that timed out closed it).
         *
         * @return the held lock; close it to release (the file stays open)
         * @throws IOException when the file cannot be created, opened or locked, or is a symbolic link
         * @throws LockTimeoutException when another thread or process held it until the timeout
         */
        public HostFileLock acquire() throws IOException {
            LockWait wait = new LockWait(file, timeout);
            wait.lockJvm(jvmLock);
            boolean held = false;
            try {
                if (channel != null) {
                    FileLock lock = wait.lockFile(channel);
                    if (key.equals(fileKey(file))) {
                        held = true;
                        return new HostFileLock(null, jvmLock, channel, lock, key, false);
                    }
                    dropChannel(); // the name leads to another file now: lock that one
                }
                Locked l = lockFile(file, mode, wait);
                channel = l.channel;
                key = l.key;
                held = true;
                return new HostFileLock(null, jvmLock, channel, l.lock, key, false);
            } catch (IOException | RuntimeException e) {
                dropChannel();
                throw e;
            } finally {
                if (!held) {
                    jvmLock.unlock();
                }
            }
        }

        /**
         * Takes only this file's JVM lock, the one {@link #acquire()} takes, within the timeout: for
         * a user who cannot use the file (see {@link HostFileLock#lockJvmOnly}) and goes on with this
         * JVM's threads kept apart. The same lock object as acquire's, not looked up again by path.
         *
         * @return the lock taken; the caller unlocks it, on this thread
         * @throws java.io.InterruptedIOException when the thread is interrupted while it waits
         * @throws LockTimeoutException when another thread held it until the timeout
         */
        public ReentrantLock lockJvmOnly() throws java.io.InterruptedIOException {
            new LockWait(file, timeout).lockJvm(jvmLock);
            return jvmLock;
        }

        private void dropChannel() throws IOException {
            FileChannel ch = channel;
            channel = null;
            key = null;
            if (ch != null) {
                ch.close();
            }
        }

        /**
         * Closes the file, once no thread of this JVM holds the lock: closing a descriptor would drop
         * a holder's fcntl lock, whichever descriptor it holds it through. Waits for the JVM lock as
         * {@link #acquire()} does, at most the timeout; a thread that holds the lock longer (stopped
         * in a debugger, or leaked an unclosed {@link HostFileLock}) makes this fail instead of
         * hanging, and the file then stays open (a later close may try again).
         *
         * @throws IOException when closing the file fails, or the thread is interrupted while it
         *     waits ({@link java.io.InterruptedIOException}; the file stays open)
         * @throws LockTimeoutException when another thread of this JVM held the lock until the timeout
         */
        @Override
        public void close() throws IOException {
            new LockWait(file, timeout).lockJvm(jvmLock);
            try {
                dropChannel();
            } finally {
                jvmLock.unlock();
            }
        }
    }
}
