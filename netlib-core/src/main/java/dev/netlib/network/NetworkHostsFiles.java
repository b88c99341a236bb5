package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NetlibException;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One hosts file per network whose containers resolve each other by name (user-defined, local
 * scope): {@code ROOT/.netlib-networks/ID} (the network's id: one root, /etc/netns, serves every host
 * namespace of the machine, whose networks' names may repeat), localhost and one line per endpoint (the
 * containers' own included), sorted by container name. A container on that network only has as its
 * {@code /etc/netns/NS/hosts} a hard link to this file ({@link HostsFiles#link}), so a connect or
 * disconnect writes one file, not one per peer: its cost no longer grows with the network.
 *
 * <p>Why a hard link: {@code ip netns exec} bind-mounts {@code /etc/netns/NS/hosts} over
 * /etc/hosts, and a bind mount pins the inode its source names (a symbolic link would be resolved
 * too, but netlib refuses to write through symbolic links, and so does the overlay agent). Both were
 * tried with {@code ip netns exec NS sh -c 'getent hosts x; sleep; getent hosts y'} while the file was
 * rewritten in place: a program already running saw the new line either way. The file is therefore
 * edited in place ({@link SharedHostsFile#rewrite}, under its JVM and fcntl locks), never replaced.
 * It exists while the network has endpoints; the edit that takes the last line out deletes it,
 * under the lock, so a writer waiting for it starts again on a new file.
 *
 * <p>A network's id becomes a file name here, so it is checked like user input even when read
 * from the store. {@value #DIR} cannot be a namespace's name ({@link Paths#checkNetnsName}).
 */
final class NetworkHostsFiles {
    /** The directory under the hosts root that holds the networks' files. */
    static final String DIR = ".netlib-networks";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12,64}");
    static final String HEADER = HostsFiles.MARKER + "\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

    private final Path dir;

    /** {@code root}: the hosts root (/etc/netns), never null. */
    NetworkHostsFiles(Path root) {
        this.dir = root.resolve(DIR);
    }

    /** The directory of the networks' files. */
    Path dir() {
        return dir;
    }

    /** The file of the network with id {@code id}; the id is checked (it may come from a tampered record). */
    Path file(String id) {
        if (!validId(id)) {
            throw new InvalidConfigException("network id '" + id + "' is not 12 to 64 hexadecimal digits; refusing to make it a file name");
        }
        return dir.resolve(id);
    }

    /** True if {@code id} can be a network's id (and so the name of its file here). */
    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The line of one endpoint: its address, its container's name and its aliases. */
    static String line(EndpointConfig e) {
        StringBuilder sb = new StringBuilder(IpAddresses.format(e.address().address())).append('\t').append(e.container());
        e.aliases().forEach(a -> sb.append(' ').append(a));
        return sb.toString();
    }

    /** The whole file for {@code endpoints} (null if there are none: no file). */
    static String render(Collection<EndpointConfig> endpoints) {
        Map<String, String> lines = new TreeMap<>();
        endpoints.forEach(e -> lines.put(e.container(), line(e)));
        return lines.isEmpty() ? null : render(lines);
    }

    private static String render(Map<String, String> lines) {
        StringBuilder sb = new StringBuilder(HEADER);
        lines.values().forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** The endpoint lines of a file's content by container ({@code #} lines and localhost left out). */
    private static TreeMap<String, String> parse(String content) {
        TreeMap<String, String> out = new TreeMap<>();
        for (String l : SharedHostsFile.withoutOverlaySection(content).split("\n")) {
            if (l.isEmpty() || l.startsWith("#") || HEADER.contains("\n" + l + "\n")) {
                continue;
            }
            int tab = l.indexOf('\t');
            int end = l.indexOf(' ', tab + 1);
            if (tab > 0) {
                out.put(l.substring(tab + 1, end < 0 ? l.length() : end), l);
            }
        }
        return out;
    }

    /**
     * Adds or replaces {@code e}'s line in the file of network {@code id}. Undo: the line it replaced
     * (none: the line goes, and the file if it is then empty).
     */
    void put(Journal j, String id, EndpointConfig e) {
        String old = edit(id, e.container(), line(e));
        if (!Objects.equals(old, line(e))) {
            j.undo("hosts of network " + e.network() + ": line of " + e.container(), () -> edit(id, e.container(), old));
        }
    }

    /** Takes {@code container}'s line out of the file of network {@code id} (the file too if it was the last). Undo: the line put back. */
    void drop(Journal j, String id, String container) {
        String old = edit(id, container, null);
        if (old != null) {
            j.undo("hosts of network " + id + ": line of " + container, () -> edit(id, container, old));
        }
    }

    /**
     * Sets {@code container}'s line to {@code line} (null: none) under the file's locks, keeping
     * every other line as it is now (another process may have just added its own). Returns the line
     * that was there.
     */
    private String edit(String id, String container, String line) {
        Path file = file(id);
        String[] old = new String[1];
        for (int attempt = 0;; attempt++) {
            try {
                if (line == null && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
                createDir();
                SharedHostsFile.rewrite(file, now -> {
                    checkOurs(file, now);
                    TreeMap<String, String> lines = parse(now);
                    old[0] = line == null ? lines.remove(container) : lines.put(container, line);
                    if (Objects.equals(old[0], line)) {
                        return now.isEmpty() ? "" : null; // (an empty file this call created goes again)
                    }
                    String section = SharedHostsFile.overlaySection(now);
                    return lines.isEmpty() && section.isEmpty() ? "" : render(lines) + section;
                }, true);
                if (line == null) {
                    deleteDirIfEmpty();
                }
                return old[0];
            } catch (NoSuchFileException e) {
                if (attempt > 3) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
                // the directory went with another network's last line meanwhile: make it again
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    /** The current content of the file of network {@code id}, or null if there is none. */
    String read(String id) {
        try {
            return new String(SharedHostsFile.read(file(id)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reconcile's repair: sets the file to {@code content} (null: deletes it) only if it still holds
     * {@code expected} (null: absent), checked and written under its locks. Returns true if changed.
     */
    boolean replaceIf(String id, String expected, String content) {
        Path file = file(id);
        try {
            createDir();
            boolean changed = SharedHostsFile.rewrite(file, now -> {
                boolean same = (expected == null ? now.isEmpty() : now.equals(expected)) && (now.isEmpty() || now.startsWith(HostsFiles.MARKER));
                String next = same ? (content == null ? "" : content) : now;
                return next.equals(now) && !now.isEmpty() ? null : next; // "" deletes (also an empty file this call created)
            }, true);
            deleteDirIfEmpty();
            return changed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The names of the files here (networks, and whatever else was left), for reconcile's sweep. */
    List<String> existing() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private static void checkOurs(Path file, String now) {
        if (!now.isEmpty() && !now.startsWith(HostsFiles.MARKER)) {
            throw new NetlibException(file + " exists and was not written by netlib; refusing to overwrite it");
        }
    }

    private void createDir() throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new NetlibException(dir + " is a symbolic link; refusing to write through it");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
    }

    /** The directory goes with the last network's file, so a host without endpoints keeps no trace. */
    void deleteDirIfEmpty() {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // other networks' files remain
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
