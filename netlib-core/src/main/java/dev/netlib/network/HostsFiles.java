package dev.netlib.network;

import dev.netlib.error.NetlibException;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The containers' {@code /etc/netns/NAME/hosts}: {@code ip netns exec NAME} bind-mounts each file
 * of /etc/netns/NAME over its twin in /etc, so programs run that way resolve the names written here
 * without a DNS server. netlib writes only files that start with its marker line, and an undo puts
 * back exactly the content it replaced.
 *
 * <p>Files are mode 0644 (programs in the container run as any user and must read them) and are
 * rewritten in place, the same inode: a bind mount pins the inode it was made from, so a file
 * replaced by rename would never reach programs already running; glibc re-reads /etc/hosts on each
 * lookup, so they see the new names at once. Writers serialise on an fcntl lock of the file; a
 * reader racing a rewrite may see a mixed file for an instant (glibc reads it line by line), the
 * price of keeping the inode. The name of the namespace (a directory under the root) is checked like
 * user input even when it comes from the store, and must be a plain directory, not a symlink.
 *
 * <p>A container on one network whose names resolve has no file of its own: its name is a hard link
 * to that network's file ({@link NetworkHostsFiles}), so one write reaches every such container.
 * A container on several networks (or on one without names) has its own file, rewritten when one of
 * its networks changes. Moving between the two (a second network joined, or left) gives the name
 * another inode: a program already running in the container keeps the file it started with (still
 * updated when it is a network's file), so restart it, or ask {@link Networks#resolve}.
 */
final class HostsFiles {
    static final String MARKER = SharedHostsFile.MARKER;

    private final Path root;
    private final NetworkHostsFiles networks;

    /** {@code root} is /etc/netns in production, a temporary directory in tests; null writes nothing. */
    HostsFiles(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
        this.networks = this.root == null ? null : new NetworkHostsFiles(this.root);
    }

    /** The networks' shared files (null when disabled). */
    NetworkHostsFiles networks() {
        return networks;
    }

    /** The root directory (/etc/netns), or null when disabled. */
    Path root() {
        return root;
    }

    boolean enabled() {
        return root != null;
    }

    Optional<Path> file(String netnsName) {
        if (root == null || netnsName == null) {
            return Optional.empty();
        }
        Path dir = root.resolve(Paths.checkNetnsName(netnsName)).normalize();
        if (!dir.getParent().equals(root)) {
            throw new NetlibException("hosts directory " + dir + " is not directly under " + root + "; refusing to write there");
        }
        return Optional.of(dir.resolve("hosts"));
    }

    /** The hosts file of a container: localhost, its own addresses, then the peers it may resolve. */
    static String render(String container, List<EndpointConfig> own, List<EndpointConfig> peers) {
        StringBuilder sb = new StringBuilder(MARKER).append('\n');
        sb.append("127.0.0.1\tlocalhost\n");
        sb.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        for (EndpointConfig e : own) {
            sb.append(IpAddresses.format(e.address().address())).append('\t').append(container).append('\n');
        }
        for (EndpointConfig p : peers) {
            sb.append(IpAddresses.format(p.address().address())).append('\t').append(p.container());
            for (String a : p.aliases()) {
                sb.append(' ').append(a);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes the file in place (creating /etc/netns/NAME if needed); the journal restores what was there. */
    void write(Journal j, String netnsName, String content) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty()) {
            return;
        }
        Path file = target.get();
        try {
            makeDir(j, file);
            if (isLink(file)) {
                unlink(j, file); // a network's file: the container gets its own, the network's stays as it is
            }
            // checked, read and written under the file's locks, keeping the overlay agent's section:
            // another process (or the agent) may be rewriting the same file at this moment
            String[] before = new String[1];
            boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            boolean[] own = new boolean[1];
            boolean written = SharedHostsFile.rewriteOwn(file, now -> {
                own[0] = true;
                // (an empty file is one another writer has just created and is about to fill)
                if (!now.isEmpty() && !now.startsWith(MARKER)) {
                    throw new NetlibException(file + " exists and was not written by netlib; refusing to overwrite it "
                            + "(remove it, or configure another /etc/netns root)");
                }
                String next = SharedHostsFile.withoutOverlaySection(content) + SharedHostsFile.overlaySection(now);
                if (next.equals(now)) {
                    return null; // unchanged: no write, no undo
                }
                before[0] = now;
                return next;
            }, true);
            if (!own[0]) {
                // only the container's own operation makes its name a network's file, and it holds the container's lock
                throw new ConcurrentChangeException(file + " became a network's hosts file meanwhile; retry");
            }
            if (written) {
                byte[] old = existed && !before[0].isEmpty() ? before[0].getBytes(StandardCharsets.UTF_8) : null;
                j.undo("write " + file, () -> restore(file, old));
            }
        } catch (NoSuchFileException e) {
            // its directory went with another operation of the same container, or a sweep, meanwhile
            throw new ConcurrentChangeException(file.getParent() + " was removed by another process meanwhile; retry");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Rewrites the container's own file with {@code content} in place, if it has one: the write of
     * another container's operation, whose endpoint the file lists ({@link
     * SharedHostsFile#rewriteOwn}). Returns false, changing nothing, when the name is missing or is a
     * network's file: the container's own operation is changing it then, and writes it itself.
     */
    boolean rewriteIfOwn(String netnsName, String content) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty()) {
            return false;
        }
        Path file = target.get();
        boolean[] own = new boolean[1];
        try {
            if (Files.isSymbolicLink(file.getParent())) {
                throw new NetlibException(file.getParent() + " is a symbolic link; refusing to write through it");
            }
            String body = SharedHostsFile.withoutOverlaySection(content);
            SharedHostsFile.rewriteOwn(file, now -> {
                own[0] = now.startsWith(MARKER); // (an empty file is its container's, just made and about to be written)
                String next = body + SharedHostsFile.overlaySection(now);
                return own[0] && !next.equals(now) ? next : null;
            }, false);
            return own[0];
        } catch (NoSuchFileException gone) {
            return false; // its directory went with the container's last endpoint
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Rewrites the file with {@code content} only if it still holds {@code expected} (null: absent),
     * checked and written under the file's lock: a repair never overwrites what an operation wrote
     * after the repair looked. Returns true if written.
     */
    boolean replaceIf(String netnsName, String expected, String content) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty()) {
            return false;
        }
        Path file = target.get();
        try {
            if (Files.isSymbolicLink(file.getParent())) {
                throw new NetlibException(file.getParent() + " is a symbolic link; refusing to write through it");
            }
            if (isLink(file)) {
                return false; // a network's file: never written through a container's name
            }
            // only a file expected absent is made (with its directory): one that went since it was
            // read went with its container's last endpoint, and neither it nor an empty one comes back
            boolean create = expected == null;
            if (create) {
                Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } else if (!Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            return writeInPlace(file, content.getBytes(StandardCharsets.UTF_8),
                    now -> (expected == null ? now.isEmpty() : now.equals(expected)) && (now.isEmpty() || now.startsWith(MARKER)), create);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes netlib's file, and the directory if it is then empty; the journal puts them back. */
    void remove(Journal j, String netnsName) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty() || !Files.exists(target.get(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path file = target.get();
        try {
            if (Files.isSymbolicLink(file.getParent())) {
                throw new NetlibException(file.getParent() + " is a symbolic link; refusing to delete through it");
            }
            if (isLink(file)) {
                unlink(j, file);
            } else {
                byte[] old = SharedHostsFile.read(file);
                if (!new String(old, StandardCharsets.UTF_8).startsWith(MARKER)) {
                    return;
                }
                Files.delete(file);
                j.undo("delete " + file, () -> restore(file, old));
            }
        } catch (NoSuchFileException gone) {
            return; // removed meanwhile (reconcile's sweep, or this container's other operation): nothing to undo
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
        removeDirIfEmpty(j, file);
    }

    /**
     * The file's identity ({@code unix:fileKey}: device and inode) under the container's name, or
     * null if there is none: read before its content, it tells {@link #removeIfSeen} which file
     * that content was.
     */
    Object fileKey(String netnsName) {
        Optional<Path> target = file(netnsName);
        try {
            return target.isEmpty() ? null : Files.getAttribute(target.get(), "unix:fileKey", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * As {@link #remove}, for reconcile's sweep of a file left in a namespace without endpoints:
     * only while the name still leads to the file {@code seenKey} names and, when that is the
     * container's own file, it still holds {@code seenContent} (see {@link
     * SharedHostsFile#removeIfSeen}). A connect into the namespace that began after the sweep
     * looked keeps the link or the content it wrote. Returns true if removed; the journal puts it
     * back.
     */
    boolean removeIfSeen(Journal j, String netnsName, Object seenKey, String seenContent) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty() || seenKey == null) {
            return false;
        }
        Path file = target.get();
        try {
            if (Files.isSymbolicLink(file.getParent())) {
                throw new NetlibException(file.getParent() + " is a symbolic link; refusing to delete through it");
            }
            Before before = before(file);
            if (!SharedHostsFile.removeIfSeen(file, seenKey, seenContent::equals)) {
                return false;
            }
            j.undo("delete " + file, () -> before.restore(file));
        } catch (NoSuchFileException gone) {
            return false; // removed meanwhile, with its directory
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
        removeDirIfEmpty(j, file);
        return true;
    }

    /** Removes the file's directory if it is now empty; the journal makes it again. */
    private static void removeDirIfEmpty(Journal j, Path file) {
        try {
            Path dir = file.getParent();
            try (var s = Files.list(dir)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(dir);
                    j.undo("rmdir " + dir, () -> {
                        try {
                            Files.createDirectories(dir);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        } catch (NoSuchFileException | java.nio.file.DirectoryNotEmptyException raced) {
            // another writer took the directory, or put a file in it, meanwhile: either is fine
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    /** True if the container's file is {@code shared} (the same inode: a hard link to a network's file). */
    boolean linkedTo(String netnsName, Path shared) {
        Optional<Path> target = file(netnsName);
        try {
            return target.isPresent() && Files.exists(target.get(), LinkOption.NOFOLLOW_LINKS) && Files.exists(shared, LinkOption.NOFOLLOW_LINKS)
                    && Files.isSameFile(target.get(), shared);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes the container's file a hard link to its network's file {@code shared} (see {@link
     * NetworkHostsFiles}), replacing netlib's own file there in one rename, so a lookup never finds
     * the name missing. Undo: what was there before (another link, the own file's content, or nothing).
     */
    void link(Journal j, String netnsName, Path shared) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty() || linkedTo(netnsName, shared)) {
            return;
        }
        Path file = target.get();
        try {
            makeDir(j, file);
            Before before = before(file);
            linkAt(file, shared);
            j.undo("link " + file, () -> before.restore(file));
        } catch (NoSuchFileException e) {
            // its directory went with another operation of the same container, or a sweep, meanwhile
            throw new ConcurrentChangeException(file.getParent() + " was removed by another process meanwhile; retry");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + file + " to " + shared, e);
        }
    }

    /** True if the container's file has several names: it is a network's file (or one made to look like it). */
    boolean isLink(String netnsName) {
        Optional<Path> target = file(netnsName);
        try {
            return target.isPresent() && isLink(target.get());
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's directory, made if missing (journaled); neither it nor the file may be a symbolic link. */
    private static void makeDir(Journal j, Path file) throws IOException {
        Path dir = file.getParent();
        if (Files.isSymbolicLink(dir) || Files.isSymbolicLink(file)) {
            throw new NetlibException(dir + " or its hosts file is a symbolic link; refusing to write through it");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            j.undo("rmdir " + dir, () -> deleteQuietly(dir));
        }
    }

    /** {@code file} becomes a new name of {@code shared}: a link made beside it, renamed over it. */
    static void linkAt(Path file, Path shared) throws IOException {
        Path tmp = file.resolveSibling(".hosts-" + Names.randomId().substring(0, 12) + ".tmp");
        Files.createLink(tmp, shared);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // rename(2) of two names of one inode "does nothing, and returns a success status": when
        // file already was a name of shared, tmp is still there (it piled up in the container's
        // directory, one per connect or disconnect of a container on a network with names)
        Files.deleteIfExists(tmp);
    }

    /**
     * A name with several links is a network's file: a container's own file has one name, so it is
     * never written through a container's name (that would change every container sharing it).
     */
    private static boolean isLink(Path file) throws IOException {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) && ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1;
    }

    /** Takes the container's name of a network's file away; undo: the link again (the content, if that file is gone). */
    private void unlink(Journal j, Path file) throws IOException {
        Before before = before(file);
        try {
            Files.delete(file);
        } catch (NoSuchFileException gone) {
            return; // removed meanwhile: nothing to undo
        }
        j.undo("unlink " + file, () -> before.restore(file));
    }

    /** What a container's name was before a change: nothing, a network's file ({@code twin}), or content of its own. */
    private record Before(Path twin, byte[] content) {
        void restore(Path file) {
            try {
                Files.deleteIfExists(file);
                if (twin != null && Files.exists(twin, LinkOption.NOFOLLOW_LINKS)) {
                    linkAt(file, twin);
                } else if (content != null) {
                    HostsFiles.restore(file, content);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore " + file, e);
            }
        }
    }

    private Before before(Path file) throws IOException {
        byte[] content;
        try {
            content = SharedHostsFile.read(file);
        } catch (NoSuchFileException absent) {
            return new Before(null, null);
        }
        if (content.length > 0 && !new String(content, StandardCharsets.UTF_8).startsWith(MARKER)) {
            throw new NetlibException(file + " exists and was not written by netlib; refusing to replace it "
                    + "(remove it, or configure another /etc/netns root)");
        }
        Path twin = null;
        if (isLink(file)) {
            for (String n : networks.existing()) {
                Path candidate = networks.dir().resolve(n);
                try {
                    if (Files.isSameFile(candidate, file)) {
                        twin = candidate;
                    }
                } catch (NoSuchFileException goneMeanwhile) {
                    // another network's file went with its last line since the listing (or this
                    // name did): not the twin. Thrown on, it ended a removal of this name as if the
                    // name were gone, and the name stayed, for a container without endpoints
                }
            }
        }
        return new Before(twin, content);
    }

    /** The current content of netlib's file, or null if there is none. */
    String read(String netnsName) {
        Optional<Path> target = file(netnsName);
        try {
            return target.isPresent() && Files.exists(target.get()) ? new String(SharedHostsFile.read(target.get()), StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Rewrites the file's own inode under an fcntl lock (another process may be rewriting it too),
     * if its current content passes {@code condition}: the new bytes from offset 0, then the length
     * cut to theirs. A new file is created 0644 whatever the umask. Returns true if written.
     */
    private static boolean writeInPlace(Path file, byte[] content, java.util.function.Predicate<String> condition, boolean create)
            throws IOException {
        // the body is ours; the overlay agent's section stays as it is now, whatever it was when
        // {@code content} was made; never through a name that is a network's file meanwhile
        String body = SharedHostsFile.withoutOverlaySection(new String(content, StandardCharsets.UTF_8));
        return SharedHostsFile.rewriteOwn(file, now -> condition.test(now) ? body + SharedHostsFile.overlaySection(now) : null, create);
    }

    private static void restore(Path file, byte[] old) {
        try {
            if (old == null) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                writeInPlace(file, old, now -> true, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + file, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
