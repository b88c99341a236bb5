package dev.netlib.network;

import dev.netlib.lock.HostFileLock;
import dev.netlib.lock.LockTimeout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A hosts file ({@code /etc/netns/NAME/hosts}, or a network's file that containers share through a
 * hard link, see NetworkHostsFiles) as several writers share it: the network
 * layer owns the body (its marker line, localhost, the local networks' names) and the overlay agent
 * owns a section between {@link #OVERLAY_BEGIN} and {@link #OVERLAY_END}. Every change is a
 * read-modify-write of the file's own inode done entirely under a {@link HostFileLock}: a lock
 * inside this JVM (an fcntl lock belongs to the process, so the JVM's threads would not exclude each
 * other through it) and then the fcntl lock, which keeps other processes out. Reading outside the locks and
 * writing inside them lets two writers each start from a stale or half-written file and overwrite
 * the other's part; that is why the edit is a function of the content read under the lock.
 *
 * <p>A writer that waited for the lock finds (HostFileLock checks) that the name still leads to the
 * inode it locked (a network's file is deleted with its last line), and starts again if not. The inode is kept (write
 * from offset 0, then truncate): {@code ip netns exec} bind-mounts that
 * inode over /etc/hosts, and glibc re-reads the file on each lookup, so running programs see a
 * change at once. A new file is created 0644 whatever the umask, so any user in the container can
 * read it.
 *
 * <p>A writer waits for the lock at most {@link LockTimeout#DEFAULT_DURATION}, or what the system
 * property {@value #LOCK_TIMEOUT_PROPERTY} (else the environment variable {@value
 * #LOCK_TIMEOUT_ENV}) says, read at each rewrite; then it fails with {@link
 * dev.netlib.error.LockTimeoutException} naming the holder, and the file is unchanged.
 */
public final class SharedHostsFile {
    /** The first line of a file netlib writes; a file that starts otherwise is not netlib's and is never written. */
    public static final String MARKER = "# written by netlib (dev.netlib.network); rewritten on every connect and disconnect";
    /** Opens the overlay agent's section. */
    public static final String OVERLAY_BEGIN = "# netlib overlay names begin (rewritten from the cluster store)";
    /** Closes the overlay agent's section. */
    public static final String OVERLAY_END = "# netlib overlay names end";
    /** System property with the lock timeout of a rewrite (seconds, or a number with s or ms). */
    public static final String LOCK_TIMEOUT_PROPERTY = "netlib.hosts.locktimeout";
    /** Environment variable with the lock timeout of a rewrite, read when the property is not set. */
    public static final String LOCK_TIMEOUT_ENV = "NETLIB_HOSTS_LOCKTIMEOUT";

    /**
     * One lock for every hosts file of this JVM, taken before HostFileLock's own per-path JVM lock
     * (its names lock): an fcntl lock belongs to the process, so the JVM's threads must exclude
     * each other first, and one file may have several names (a container's hosts file is a hard
     * link to its network's), which a lock per path would not see. Writes are
     * short; one lock costs nothing measurable and can never be taken twice on one inode
     * (Java refuses that with OverlappingFileLockException).
     */
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    /** rw-r--r--: any user in the container can read the names. */
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

    private SharedHostsFile() {}

    /**
     * Reads {@code file} under this JVM's lock, without the fcntl lock: closing any descriptor of a
     * file drops every fcntl lock this process holds on it (fcntl(2)), so even a read by another
     * thread would silently end a rewrite's lock if it closed its descriptor in between.
     *
     * @param file a hosts file
     * @return its bytes
     * @throws IOException when it cannot be read (NoSuchFileException when absent)
     */
    static byte[] read(Path file) throws IOException {
        JVM_LOCK.lock();
        try {
            return Files.readAllBytes(file);
        } finally {
            JVM_LOCK.unlock();
        }
    }

    /**
     * Rewrites {@code file} with what {@code edit} makes of its current content ({@code ""} when
     * the file is absent or empty), read and written under the file's locks; {@code edit} returns
     * null to leave the file as it is, and may throw to refuse.
     *
     * @param file the hosts file; its directory must exist
     * @param edit the current content to the new one, or null for no change
     * @return true if the file was written
     * @throws IOException when the file cannot be read or written
     * @throws dev.netlib.error.LockTimeoutException when another writer held the lock until the timeout
     */
    public static boolean rewrite(Path file, UnaryOperator<String> edit) throws IOException {
        return rewrite(file, edit, false);
    }

    /**
     * As {@link #rewrite(Path, UnaryOperator)}; with {@code emptyDeletes} an edit that returns
     * {@code ""} deletes the file, still under its lock, so that a writer waiting for the lock
     * finds the name gone and starts again on a new file instead of writing into the deleted one.
     */
    static boolean rewrite(Path file, UnaryOperator<String> edit, boolean emptyDeletes) throws IOException {
        LockTimeout timeout = LockTimeout.fromSettings(LOCK_TIMEOUT_PROPERTY, LOCK_TIMEOUT_ENV);
        try (HostFileLock locked = HostFileLock.acquire(file, MODE, JVM_LOCK, timeout)) {
            return rewriteLocked(file, locked, edit, emptyDeletes);
        }
    }

    /**
     * As {@link #rewrite(Path, UnaryOperator)}, for a container's own file ({@code /etc/netns/NS/hosts}
     * when it is not its network's): written only while the name still leads to the file locked and
     * that file has no other name. Another writer checks the same, the file's locks cannot: a
     * container's name may become a hard link to its network's file at any moment (its own operation
     * renames the link over it, taking no hosts file lock), and a write that opened the name just
     * after that wrote the container's own content into the network's file, which every container on
     * the network shares. With {@code create} false, a missing file is not made either (it is the
     * container's own operation's to make).
     *
     * @param file the container's hosts file; its directory must exist
     * @param edit the current content to the new one, or null for no change
     * @param create whether a missing file is made
     * @return true if the file was written; false if {@code edit} left it, or it was absent (without
     *     {@code create}) or not the container's own file
     * @throws IOException when the file cannot be read or written
     * @throws dev.netlib.error.LockTimeoutException when another writer held the lock until the timeout
     */
    public static boolean rewriteOwn(Path file, UnaryOperator<String> edit, boolean create) throws IOException {
        LockTimeout timeout = LockTimeout.fromSettings(LOCK_TIMEOUT_PROPERTY, LOCK_TIMEOUT_ENV);
        try (HostFileLock locked = create ? HostFileLock.acquire(file, MODE, JVM_LOCK, timeout)
                : HostFileLock.acquireExisting(file, JVM_LOCK, timeout)) {
            if (!leadsToOwn(file, locked.fileKey())) {
                return false; // the name was given to a network's file (or another) meanwhile: not this writer's to write
            }
            return rewriteLocked(file, locked, edit, false);
        } catch (NoSuchFileException absent) {
            if (create) {
                throw absent;
            }
            return false;
        }
    }

    /**
     * Removes a container's file that reconcile found left over, only while its name still leads to
     * the file it saw ({@code seenKey}, a {@code unix:fileKey}) and, when that file is the
     * container's own (one name), its content still passes {@code unchanged}, read under the file's
     * locks. A connect into the namespace that began after reconcile looked either rewrote the own
     * file in place (under the locks: its content changed) or renamed a link to its network's file
     * over the name (no lock: another inode); either keeps what it wrote. The name is moved aside
     * before the file is deleted, and checked once more there: a rename over it between the check
     * and the move is put back, unless a still newer file has the name by then.
     *
     * @param file the container's hosts file
     * @param seenKey the file key reconcile read before it read the content it judged
     * @param unchanged whether the own file's content is still the content reconcile judged
     * @return true if the file was removed
     * @throws IOException when the file cannot be read, moved or deleted
     * @throws dev.netlib.error.LockTimeoutException when another writer held the lock until the timeout
     */
    static boolean removeIfSeen(Path file, Object seenKey, java.util.function.Predicate<String> unchanged) throws IOException {
        java.util.Map<String, Object> now;
        try {
            now = Files.readAttributes(file, "unix:fileKey,nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return false;
        }
        if (!seenKey.equals(now.get("fileKey"))) {
            return false;
        }
        if (((Number) now.get("nlink")).intValue() > 1) {
            // a link to a network's file: its content is the network's, written by its other
            // containers' operations; only the name is this container's, and only renames change it
            return moveAsideAndDelete(file, seenKey);
        }
        LockTimeout timeout = LockTimeout.fromSettings(LOCK_TIMEOUT_PROPERTY, LOCK_TIMEOUT_ENV);
        try (HostFileLock locked = HostFileLock.acquireExisting(file, JVM_LOCK, timeout)) {
            if (!seenKey.equals(locked.fileKey()) || !leadsToOwn(file, locked.fileKey())) {
                return false;
            }
            ByteBuffer content = readLocked(locked.channel());
            // still under the lock: a writer waiting for it finds the name gone and starts on a new file
            return unchanged.test(new String(content.array(), 0, content.position(), StandardCharsets.UTF_8))
                    && moveAsideAndDelete(file, seenKey);
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** True if {@code file} (the name) leads to the file {@code key} names, and that file has no other name. */
    private static boolean leadsToOwn(Path file, Object key) throws IOException {
        java.util.Map<String, Object> now = Files.readAttributes(file, "unix:fileKey,nlink", LinkOption.NOFOLLOW_LINKS);
        return key.equals(now.get("fileKey")) && ((Number) now.get("nlink")).intValue() == 1;
    }

    /**
     * Renames {@code file} to a temporary name beside it and deletes it there if it is the file
     * {@code key} names; else puts it back (a hard link, which never replaces a name another writer
     * made since) and deletes the temporary name. No descriptor is opened: closing one would drop
     * this process's fcntl locks on the file.
     */
    private static boolean moveAsideAndDelete(Path file, Object key) throws IOException {
        Path aside = file.resolveSibling(".hosts-" + Names.randomId().substring(0, 12) + ".tmp");
        try {
            Files.move(file, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return false;
        }
        boolean seen = key.equals(Files.getAttribute(aside, "unix:fileKey", LinkOption.NOFOLLOW_LINKS));
        if (!seen) {
            try {
                Files.createLink(file, aside); // renamed over the name just before the move: the newer file stays
            } catch (java.nio.file.FileAlreadyExistsException newer) {
                // a still newer file has the name now
            }
        }
        Files.delete(aside);
        return seen;
    }

    private static boolean rewriteLocked(Path file, HostFileLock locked, UnaryOperator<String> edit, boolean emptyDeletes) throws IOException {
        FileChannel ch = locked.channel();
        ByteBuffer old = readLocked(ch);
        String next = edit.apply(new String(old.array(), 0, old.position(), StandardCharsets.UTF_8));
        if (next == null) {
            return false;
        }
        if (emptyDeletes && next.isEmpty()) {
            // still under the lock: a writer waiting for it finds the name gone and starts on a new file
            Files.delete(file);
            return true;
        }
        ByteBuffer buf = ByteBuffer.wrap(next.getBytes(StandardCharsets.UTF_8));
        long pos = 0;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        ch.truncate(pos);
        return true;
    }

    /** The whole file through the locked channel; the buffer's position is the length read. */
    private static ByteBuffer readLocked(FileChannel ch) throws IOException {
        ByteBuffer content = ByteBuffer.allocate((int) ch.size());
        while (content.hasRemaining() && ch.read(content, content.position()) > 0) {
            continue;
        }
        return content;
    }

    /**
     * The overlay agent's section of {@code content}, markers included ({@code ""} when there is none).
     *
     * @param content a hosts file's content
     * @return the section, ending with a newline, or the empty string
     */
    public static String overlaySection(String content) {
        int[] at = overlayBounds(content);
        if (at == null) {
            return "";
        }
        String section = content.substring(at[0], at[1]);
        return section.endsWith("\n") ? section : section + "\n";
    }

    /**
     * {@code content} without the overlay agent's section.
     *
     * @param content a hosts file's content
     * @return the rest, as it was
     */
    public static String withoutOverlaySection(String content) {
        int[] at = overlayBounds(content);
        return at == null ? content : content.substring(0, at[0]) + content.substring(at[1]);
    }

    /** Where the section starts (a line {@link #OVERLAY_BEGIN}) and ends (after its {@link #OVERLAY_END} line), or null. */
    private static int[] overlayBounds(String content) {
        int begin = content.startsWith(OVERLAY_BEGIN + "\n") ? 0 : content.indexOf("\n" + OVERLAY_BEGIN + "\n");
        if (begin < 0) {
            return null;
        }
        if (begin > 0 || !content.startsWith(OVERLAY_BEGIN)) {
            begin++; // past the newline before the marker
        }
        int end = content.indexOf("\n" + OVERLAY_END, begin);
        if (end < 0) {
            return null;
        }
        int stop = content.indexOf('\n', end + 1);
        return new int[] {begin, stop < 0 ? content.length() : stop + 1};
    }
}
