package dev.netlib.ipam;

import dev.netlib.lock.HostFileLock;
import dev.netlib.lock.LockTimeout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IpamStore} in a local directory: the embedded default, needing no setup, safe across
 * threads and across processes on one host.
 *
 * <p>Each key is one file {@code <key with / as +>.kv} in the directory, in a line format of its
 * own (see {@link FileRecord}) that carries the key, its version, the value's length and a CRC-32,
 * so a damaged file is reported as {@link CorruptStoreException} naming the file, never read as
 * empty. A deleted key's file is deleted: the directory holds live keys only, so listing costs what
 * the live keys cost however many were ever deleted. Versions come from one store-wide revision
 * counter kept in {@code .lock} (as etcd's revisions), so a re-created key never reuses a version
 * its earlier life had: a writer holding an old version cannot succeed against the new key. The
 * counter is raised to the highest version on disk when a store is opened, so a counter update lost
 * in a power failure cannot lead to reuse either.
 *
 * <p>Every write goes to a temporary file in the same directory, is fsynced, renamed over the old
 * file (rename is atomic on POSIX file systems: a reader sees the old or the new file, never a mix)
 * and then the directory is fsynced so the rename itself survives a crash. Writers serialise on a
 * {@link HostFileLock} of {@code .lock} in the directory (an exclusive {@code fcntl} lock, held
 * only for the local read-compare-write, never across calls, and within this JVM the lock file's
 * own JVM lock, which every store and every other user of that file in this JVM shares, because
 * {@code fcntl} locks belong to the process, not to a thread). Readers take no
 * lock. A process killed mid-write leaves at most a temporary file, which is ignored and removed
 * the next time a store is opened on the directory; the kernel drops its lock.
 *
 * <p>A writer waits for the lock at most the store's lock timeout: {@link LockTimeout#DEFAULT_DURATION}
 * unless {@link #open(Path, Duration)} or the settings {@value #LOCK_TIMEOUT_PROPERTY} / {@value
 * #LOCK_TIMEOUT_ENV} say otherwise; then it fails with {@link dev.netlib.error.LockTimeoutException}
 * naming the process that holds the lock (see {@link HostFileLock}), and nothing was written.
 */
public final class FileIpamStore implements IpamStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileIpamStore.class);
    private static final String SUFFIX = ".kv";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String LOCK_FILE = ".lock";
    /** System property that overrides {@link #defaultDirectory()}. */
    public static final String DIR_PROPERTY = "netlib.ipam.dir";
    /** Environment variable that overrides {@link #defaultDirectory()} (after the property). */
    public static final String DIR_ENV = "NETLIB_IPAM_DIR";
    /** System property with the lock timeout of stores opened without one (seconds, or a number with s or ms). */
    public static final String LOCK_TIMEOUT_PROPERTY = "netlib.ipam.locktimeout";
    /** Environment variable with the lock timeout of stores opened without one (after the property). */
    public static final String LOCK_TIMEOUT_ENV = "NETLIB_IPAM_LOCKTIMEOUT";
    /**
     * The lock file's mode when a store creates it: readers take no lock, so only writers open it,
     * and a file netlib creates should not be writable by others (the umask cannot widen it).
     */
    private static final Set<PosixFilePermission> LOCK_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final Path lockPath;
    private final LockTimeout lockTimeout;
    /** The channel holding the fcntl lock while a locked action runs (guarded by the lock file's JVM lock). */
    private FileChannel lockChannel;

    private FileIpamStore(Path dir, LockTimeout lockTimeout) {
        this.dir = dir;
        this.lockPath = dir.resolve(LOCK_FILE);
        this.lockTimeout = lockTimeout;
    }

    /**
     * Opens (creating if needed) a store in {@code directory}, and removes temporary files that a
     * killed writer may have left there. Its writers wait for the lock as long as the settings
     * {@value #LOCK_TIMEOUT_PROPERTY} / {@value #LOCK_TIMEOUT_ENV} say, by default
     * {@link LockTimeout#DEFAULT_DURATION}.
     *
     * @param directory the store's directory, created if missing
     * @return the store
     * @throws dev.netlib.error.InvalidConfigException when a lock timeout setting is not a duration
     */
    public static FileIpamStore open(Path directory) {
        return open(directory, LockTimeout.fromSettings(LOCK_TIMEOUT_PROPERTY, LOCK_TIMEOUT_ENV));
    }

    /**
     * As {@link #open(Path)}, with writers that wait for the store's lock at most {@code
     * lockTimeout} before they fail with {@link dev.netlib.error.LockTimeoutException}.
     *
     * @param directory the store's directory, created if missing
     * @param lockTimeout how long a write waits for another thread or process; zero: not at all
     * @return the store
     */
    public static FileIpamStore open(Path directory, Duration lockTimeout) {
        return open(directory, new LockTimeout(lockTimeout, "the lockTimeout argument of FileIpamStore.open"));
    }

    private static FileIpamStore open(Path directory, LockTimeout lockTimeout) {
        Path dir;
        try {
            Files.createDirectories(directory);
            dir = directory.toRealPath();
        } catch (IOException e) {
            throw new IpamStoreException("cannot create or open IPAM store directory " + directory + ": " + e, e);
        }
        FileIpamStore store = new FileIpamStore(dir, lockTimeout);
        store.removeStaleTempFiles();
        return store;
    }

    /** Opens the store in {@link #defaultDirectory()}. */
    public static FileIpamStore openDefault() {
        return open(defaultDirectory());
    }

    /**
     * The default directory: the system property {@value #DIR_PROPERTY}, else the environment variable
     * {@value #DIR_ENV}, else {@code /var/lib/netlib} for root, else {@code $XDG_STATE_HOME/netlib}
     * (by default {@code ~/.local/state/netlib}). The store is generic (keys such as {@code
     * ipam/pools/net1}), so one directory holds all of netlib's state on a host.
     */
    public static Path defaultDirectory() {
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/netlib");
        }
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("netlib");
    }

    /** The directory this store keeps its files in. */
    public Path directory() {
        return dir;
    }

    @Override
    public Optional<Versioned> get(String key) {
        FileRecord r = read(IpamStore.checkKey(key));
        return r == null || r.deleted() ? Optional.empty() : Optional.of(new Versioned(r.value(), r.version()));
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
        IpamStore.checkKey(key);
        return locked(() -> {
            FileRecord current = read(key);
            long currentVersion = current == null || current.deleted() ? 0 : current.version();
            if (currentVersion != expectedVersion) {
                return OptionalLong.empty();
            }
            long next = nextRevision(current);
            write(key, new FileRecord(key, next, false, value));
            return OptionalLong.of(next);
        });
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        IpamStore.checkKey(key);
        return locked(() -> {
            FileRecord current = read(key);
            if (current == null || current.deleted() || current.version() != expectedVersion) {
                return false;
            }
            nextRevision(current); // the deletion is a revision too: a re-created key gets a later one
            Files.delete(fileOf(key));
            fsyncDirectory();
            return true;
        });
    }

    @Override
    public SortedMap<String, Versioned> list(String prefix) {
        String p = IpamStore.checkPrefix(prefix);
        SortedMap<String, Versioned> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !name.endsWith(SUFFIX)) {
                    continue;
                }
                String key = name.substring(0, name.length() - SUFFIX.length()).replace('+', '/');
                if (!key.startsWith(p)) {
                    continue;
                }
                FileRecord r = read(key);
                if (r != null && !r.deleted()) {
                    out.put(key, new Versioned(r.value(), r.version()));
                }
            }
        } catch (IOException e) {
            throw new IpamStoreException("cannot list IPAM store directory " + dir + ": " + e, e);
        }
        return out;
    }

    /** The keys from the file names alone: no record is read (the directory holds live keys only). */
    @Override
    public SortedSet<String> keys(String prefix) {
        String p = IpamStore.checkPrefix(prefix);
        SortedSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith(SUFFIX)) {
                    String key = name.substring(0, name.length() - SUFFIX.length()).replace('+', '/');
                    if (key.startsWith(p)) {
                        out.add(key);
                    }
                }
            }
        } catch (IOException e) {
            throw new IpamStoreException("cannot list IPAM store directory " + dir + ": " + e, e);
        }
        return out;
    }

    @Override
    public String describe() {
        return "file store " + dir;
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    private Path fileOf(String key) {
        return dir.resolve(key.replace('/', '+') + SUFFIX);
    }

    /** The record of a key, or null if it has no file. */
    private FileRecord read(String key) {
        Path file = fileOf(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IpamStoreException("cannot read IPAM store file " + file + ": " + e, e);
        }
        return FileRecord.decode(file, key, bytes);
    }

    private void write(String key, FileRecord record) {
        Path file = fileOf(key);
        Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(record.encode());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // the data must be on disk before the rename makes it the record
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(); // the rename lives in the directory: without this a crash may undo it
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            throw new IpamStoreException("cannot write IPAM store file " + file + " atomically: " + e, e);
        } catch (IOException e) {
            throw new IpamStoreException("cannot write IPAM store file " + file + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.warn("cannot remove temporary file {}: {}", temp, e.toString());
            }
        }
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** The store's next revision, above {@code current}'s version; called under the lock. */
    private long nextRevision(FileRecord current) throws IOException {
        long next = Math.max(readRevision(), current == null ? 0 : current.version()) + 1;
        writeRevision(next);
        return next;
    }

    private long readRevision() throws IOException {
        // through the channel that holds the lock: closing any other descriptor of this file would
        // drop the process's fcntl lock on it (POSIX record locks belong to the process and inode)
        ByteBuffer buf = ByteBuffer.allocate(64);
        int n = lockChannel.read(buf, 0);
        String text = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return 0;
        }
        if (!text.startsWith("revision ")) {
            throw new CorruptStoreException("IPAM store lock file " + lockPath + " is corrupt: expected 'revision N', found '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'; raise N above every version in the directory");
        }
        try {
            return Long.parseLong(text.substring("revision ".length()));
        } catch (NumberFormatException e) {
            throw new CorruptStoreException("IPAM store lock file " + lockPath + " is corrupt: bad revision '" + text + "'", e);
        }
    }

    private void writeRevision(long revision) throws IOException {
        // written in place (the lock is held on this very file), no fsync: open() raises the counter
        // to the highest version on disk, which covers an update lost in a power failure
        byte[] b = ("revision " + revision + "\n").getBytes(StandardCharsets.UTF_8);
        lockChannel.write(ByteBuffer.wrap(b), 0);
        lockChannel.truncate(b.length);
    }

    private interface Action<T> {
        T run() throws IOException;
    }

    private <T> T locked(Action<T> action) {
        try (HostFileLock lock = HostFileLock.acquire(lockPath, LOCK_MODE, lockTimeout)) {
            lockChannel = lock.channel(); // the revision counter is read and written through the locked descriptor
            try {
                return action.run();
            } finally {
                lockChannel = null;
            }
        } catch (IOException e) {
            throw new IpamStoreException("cannot lock IPAM store " + lockPath + ": " + e, e);
        }
    }

    /**
     * Removes temporary files a killed writer left and tombstones of older versions of this store
     * (which kept deleted keys' files), and raises the revision counter to the highest version on disk.
     */
    private void removeStaleTempFiles() {
        locked(() -> {
            long highest = readRevision();
            // Writers create temporary files only while holding the lock we now hold: any left are stale.
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)) {
                        LOG.info("removing stale temporary file {} left by an interrupted writer", f);
                        Files.deleteIfExists(f);
                    } else if (!name.startsWith(".") && name.endsWith(SUFFIX)) {
                        String key = name.substring(0, name.length() - SUFFIX.length()).replace('+', '/');
                        FileRecord r;
                        try {
                            r = read(key);
                        } catch (CorruptStoreException e) {
                            continue; // reported to whoever reads the key; never touched here
                        }
                        if (r != null) {
                            highest = Math.max(highest, r.version());
                            if (r.deleted()) {
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                }
            }
            if (highest > readRevision()) {
                writeRevision(highest);
            }
            return null;
        });
    }

    /**
     * One record file:
     *
     * <pre>
     * netlib-store 1
     * key ipam/pools/net1
     * version 7
     * deleted            (only in a tombstone)
     * length 123
     * crc32 1a2b3c4d
     *                    (an empty line, then exactly LENGTH bytes of UTF-8 value)
     * </pre>
     */
    record FileRecord(String key, long version, boolean deleted, String value) {
        private static final String MAGIC = "netlib-store 1";

        byte[] encode() {
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(v);
            String header = MAGIC + "\nkey " + key + "\nversion " + version + "\n" + (deleted ? "deleted\n" : "")
                    + "length " + v.length + "\ncrc32 " + Long.toHexString(crc.getValue()) + "\n\n";
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[h.length + v.length];
            System.arraycopy(h, 0, out, 0, h.length);
            System.arraycopy(v, 0, out, h.length, v.length);
            return out;
        }

        static FileRecord decode(Path file, String expectedKey, byte[] bytes) {
            int pos = 0;
            String key = null;
            long version = -1;
            boolean deleted = false;
            int length = -1;
            long crc = -1;
            int lineNo = 0;
            while (true) {
                int nl = indexOf(bytes, (byte) '\n', pos);
                if (nl < 0) {
                    throw corrupt(file, lineNo == 0 ? "file is empty or truncated in its header" : "header ends without an empty line (truncated?)");
                }
                String line = new String(bytes, pos, nl - pos, StandardCharsets.UTF_8);
                pos = nl + 1;
                lineNo++;
                if (lineNo == 1) {
                    if (!line.equals(MAGIC)) {
                        throw corrupt(file, "first line is '" + abbreviate(line) + "', expected '" + MAGIC + "'");
                    }
                    continue;
                }
                if (line.isEmpty()) {
                    break;
                }
                int sp = line.indexOf(' ');
                String name = sp < 0 ? line : line.substring(0, sp);
                String arg = sp < 0 ? "" : line.substring(sp + 1);
                try {
                    switch (name) {
                        case "key" -> key = arg;
                        case "version" -> version = Long.parseLong(arg);
                        case "deleted" -> deleted = true;
                        case "length" -> length = Integer.parseInt(arg);
                        case "crc32" -> crc = Long.parseLong(arg, 16);
                        default -> throw corrupt(file, "line " + lineNo + " has unknown field '" + abbreviate(name) + "'");
                    }
                } catch (NumberFormatException e) {
                    throw corrupt(file, "line " + lineNo + " has a bad number: '" + abbreviate(line) + "'");
                }
            }
            if (key == null || version <= 0 || length < 0 || crc < 0) {
                throw corrupt(file, "header lacks key, a positive version, length or crc32");
            }
            if (!key.equals(expectedKey)) {
                throw corrupt(file, "it holds key '" + key + "' but its name is for key '" + expectedKey + "'");
            }
            if (bytes.length - pos != length) {
                throw corrupt(file, "value has " + (bytes.length - pos) + " bytes but the header says " + length + " (truncated or appended to)");
            }
            CRC32 c = new CRC32();
            c.update(bytes, pos, length);
            if (c.getValue() != crc) {
                throw corrupt(file, "value checksum is " + Long.toHexString(c.getValue()) + " but the header says " + Long.toHexString(crc));
            }
            return new FileRecord(key, version, deleted, new String(bytes, pos, length, StandardCharsets.UTF_8));
        }

        private static int indexOf(byte[] b, byte x, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == x) {
                    return i;
                }
            }
            return -1;
        }

        private static String abbreviate(String s) {
            return s.length() > 60 ? s.substring(0, 60) + "..." : s;
        }

        private static CorruptStoreException corrupt(Path file, String why) {
            return new CorruptStoreException("IPAM store file " + file + " is corrupt: " + why
                    + "; it was left unchanged: restore it from a backup or remove it (its allocations are then forgotten)");
        }
    }
}
