package dev.netlib.linux.internal.nft;

import dev.netlib.error.NetlibException;
import dev.netlib.lock.HostFileLock;
import dev.netlib.lock.LockTimeout;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that keeps netlib's nf_tables changes in one network namespace apart, across every
 * thread and every netlib process of the host: a {@link HostFileLock} on {@code
 * /run/netlib/nft/INODE.lock}, INODE being the nsfs inode of the namespace (what {@code
 * /proc/thread-self/ns/net} names). {@link NftFirewall} holds it from the read of the kernel's state
 * to the batch's answer, so no other netlib writer can commit in between and move the ruleset
 * generation: among netlib processes a batch is never refused with ERESTART, and none can starve.
 * Writers that are not netlib (nft, Docker, firewalld) do not take it; the generation guard and
 * the retries in NftFirewall stay for them.
 *
 * <p>Why these choices:
 * <ul>
 *   <li>An fcntl lock (FileChannel.lock) is dropped by the kernel when its process dies, SIGKILL
 *       included, so a killed holder never leaves the lock taken, and there is no stale-lock logic.</li>
 *   <li>The nsfs inode names the namespace however it was reached (a name under /var/run/netns, a
 *       pid, an anonymous namespace). The kernel reuses an inode number only after the namespace is
 *       freed (proc_free_inum), and a namespace with a netlib socket in it is alive; so one live
 *       namespace never shares a file with another, and a reused file serves its new namespace.</li>
 *   <li>Lock files are never deleted: a process may be waiting on the inode, and deleting it would
 *       let the next comer lock a new file beside it. They are empty, one per inode number ever used,
 *       and /run is a tmpfs emptied at boot; inode numbers are reused, so their count stays near the
 *       largest number of namespaces (of all kinds) alive at once.</li>
 *   <li>The directory is created 0700 and the files 0600, for root: only a process that may
 *       change the ruleset anyway can hold the lock. If the directory cannot be made or the file
 *       cannot be locked (no root, read-only /run), the change goes on without the host-wide lock
 *       (a WARN once per JVM, DEBUG after): it is still correct through the generation guard, only
 *       no longer free of retries. Threads of this JVM still exclude each other.</li>
 * </ul>
 *
 * <p>Limit: processes exclude each other only if they see the same /run, that is, in one mount
 * namespace (or with /run shared into their containers). netlib processes in separate mount
 * namespaces changing one network namespace fall back to the generation guard and its retries.
 *
 * <p>Waiting is bounded: a process stopped (SIGSTOP, a debugger) or stuck inside a change keeps
 * the others waiting at most the timeout, {@link LockTimeout#DEFAULT_DURATION} (60 s: far above a
 * change's milliseconds even behind a queue of processes; see {@link LockTimeout}) unless the
 * system property {@value #TIMEOUT_PROPERTY} or else the environment variable {@value #TIMEOUT_ENV}
 * gives another (seconds, or a number with s or ms). After 2 s the waiter logs one WARN naming the
 * lock file and the holder's pid (from /proc/locks) and whether it is stopped; at the timeout the
 * change fails with {@link dev.netlib.error.LockTimeoutException}, saying the same, before anything
 * was read or sent. The fall-back without the file waits for this JVM's threads within the same
 * bound. A thread interrupted while it waits fails with a {@link NetlibException} (its interrupt
 * flag set) instead of going on without the lock.
 *
 * <p>The directory is {@value #DEFAULT_DIR}, or the system property {@value #DIR_PROPERTY}, or else
 * the environment variable {@value #DIR_ENV}. Every process that changes one namespace's table must
 * use the same directory. Tests keep their lock files out of /run through the variable, set for the
 * test JVMs by the build; the JVMs those tests start inherit it, as a property would not be.
 */
final class NftLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NftLock.class);
    /** Where the lock files live: under /run, which holds runtime state and is cleared at boot. */
    static final String DEFAULT_DIR = "/run/netlib/nft";
    /** A system property naming another directory. */
    static final String DIR_PROPERTY = "netlib.nft.lockdir";
    /** An environment variable naming another directory, read when the property is not set. */
    static final String DIR_ENV = "NETLIB_NFT_LOCKDIR";
    /** A system property with the timeout of a wait for the lock (seconds, or a number with s or ms). */
    static final String TIMEOUT_PROPERTY = "netlib.nft.locktimeout";
    /** An environment variable with the timeout, read when the property is not set. */
    static final String TIMEOUT_ENV = "NETLIB_NFT_LOCKTIMEOUT";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** Whether the fall-back to no host-wide lock was reported at WARN already (once per JVM). */
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** After the lock file failed, how long changes go on without trying it again (a failed try costs a few syscalls and a log line). */
    private static final long RETRY_NANOS = 1_000_000_000L;
    /** A lock that excludes nothing (and holds no file): for tests that play a writer that is not netlib. */
    static final NftLock NONE = new NftLock(null, LockTimeout.DEFAULT);

    private final Path file;
    private final LockTimeout timeout;
    /** The lock file, kept open while the firewall lives (an open and a close fewer per change). */
    private final HostFileLock.Reusable reusable;
    /** System.nanoTime() before which the lock file is not tried again, after a failure; 0 when it works. */
    private volatile long retryAt;

    private NftLock(Path file, LockTimeout timeout) {
        this.file = file;
        this.timeout = timeout;
        // the file's JVM lock is HostFileLock's, shared by every firewall of this JVM on the namespace
        this.reusable = file == null ? null : new HostFileLock.Reusable(file, FILE_MODE, timeout);
    }

    /** The directory of the lock files: the property, else the environment variable, else {@value #DEFAULT_DIR}. */
    static Path directory() {
        String property = System.getProperty(DIR_PROPERTY);
        String env = System.getenv(DIR_ENV);
        return Path.of(property != null && !property.isEmpty() ? property : env != null && !env.isEmpty() ? env : DEFAULT_DIR);
    }

    /** The lock of the namespace whose nsfs inode is {@code inode}, in the configured directory. */
    static NftLock of(long inode) {
        return in(directory(), inode);
    }

    /**
     * The timeout of a wait: the property, else the environment variable, else
     * {@link LockTimeout#DEFAULT_DURATION}; a value that is not a duration is refused
     * ({@link dev.netlib.error.InvalidConfigException}).
     */
    static LockTimeout timeout() {
        return LockTimeout.fromSettings(TIMEOUT_PROPERTY, TIMEOUT_ENV);
    }

    /** The lock of the namespace whose nsfs inode is {@code inode}, with its file in {@code dir}, waiting as {@link #timeout()} says. */
    static NftLock in(Path dir, long inode) {
        return in(dir, inode, timeout());
    }

    /** The lock of the namespace whose nsfs inode is {@code inode}, with its file in {@code dir}, waiting at most {@code timeout}. */
    static NftLock in(Path dir, long inode, LockTimeout timeout) {
        return new NftLock(dir.toAbsolutePath().normalize().resolve(inode + ".lock"), timeout);
    }

    /** The lock file (null for {@link #NONE}). */
    Path file() {
        return file;
    }

    /**
     * Waits for the lock and takes it. Never fails for the lock file's sake: without a usable
     * directory it holds only this JVM's part (see the class comment), and tries the file again at
     * most once a second.
     *
     * @throws dev.netlib.error.LockTimeoutException when another thread or process held it until the timeout
     * @throws NetlibException when the thread was interrupted while it waited (its flag stays set)
     */
    Held acquire() {
        if (file == null) {
            return new Held(null, null);
        }
        long pause = retryAt;
        if (pause != 0 && System.nanoTime() - pause < 0) {
            return new Held(null, lockJvmOnly());
        }
        try {
            Held held = new Held(lockFile(), null);
            retryAt = 0;
            return held;
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            throw interrupted(e); // the thread's doing, not the file's: no fall-back
        } catch (IOException | UnsupportedOperationException e) {
            retryAt = System.nanoTime() + RETRY_NANOS;
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("nf_tables changes go on without the host-wide lock {} ({}): netlib processes sharing this namespace may refuse "
                        + "each other's batches and retry", file, e.toString());
            } else {
                LOG.debug("nf_tables change without the host-wide lock {} ({})", file, e.toString());
            }
            return new Held(null, lockJvmOnly());
        }
    }

    /** This JVM's part alone, within the timeout. */
    private ReentrantLock lockJvmOnly() {
        try {
            return reusable.lockJvmOnly(); // the lock acquire() takes, not looked up again by path
        } catch (InterruptedIOException e) {
            throw interrupted(e);
        }
    }

    private NetlibException interrupted(IOException e) {
        Thread.currentThread().interrupt(); // ClosedByInterruptException leaves it set too; keep it so
        return new NetlibException("interrupted while waiting for the nf_tables lock " + file + "; nothing was changed", e);
    }

    /** A held lock: the host-wide one, or only this JVM's part of it, or nothing ({@link #NONE}). */
    static final class Held implements AutoCloseable {
        private final HostFileLock host;
        private final ReentrantLock jvmOnly;
        private boolean closed;

        private Held(HostFileLock host, ReentrantLock jvmOnly) {
            this.host = host;
            this.jvmOnly = jvmOnly;
        }

        /** Whether other processes are kept out too. */
        boolean hostWide() {
            return host != null;
        }

        /** Releases the lock (on the thread that took it); a second call does nothing. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (jvmOnly != null) {
                jvmOnly.unlock();
            }
            if (host != null) {
                try {
                    host.close();
                } catch (IOException e) {
                    // the fd is closed whatever close(2) reported, and that dropped the fcntl lock
                    LOG.debug("closing nf_tables lock file: {}", e.toString());
                }
            }
        }
    }

    /**
     * The host-wide lock; the directory is made (0700) when it is missing, then the file (0600). Its
     * parent (/run/netlib) is shared with netlib's other runtime state (the overlay agent's records),
     * so it gets the default mode, not the lock directory's.
     */
    private HostFileLock lockFile() throws IOException {
        try {
            return reusable.acquire();
        } catch (NoSuchFileException noDir) {
            Path dir = file.getParent();
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                Files.setPosixFilePermissions(dir, DIR_MODE); // the umask may have taken bits away
                LOG.debug("mkdir -p {} && mkdir -m 0700 {}", dir.getParent(), dir);
            } catch (FileAlreadyExistsException raced) {
                // another process made it meanwhile
            }
            return reusable.acquire();
        }
    }

    /**
     * Closes the lock file (waiting while a thread of this JVM holds the lock, at most the timeout);
     * the file itself stays.
     *
     * @throws dev.netlib.error.LockTimeoutException when a thread of this JVM held the lock until
     *     the timeout (the file then stays open)
     */
    @Override
    public void close() {
        if (reusable != null) {
            try {
                reusable.close();
            } catch (IOException e) {
                LOG.debug("closing nf_tables lock file {}: {}", file, e.toString());
            }
        }
    }
}
