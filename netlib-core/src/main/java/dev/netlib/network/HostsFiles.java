package dev.netlib.network;

import dev.netlib.error.NetlibException;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The containers' {@code /etc/netns/NAME/hosts}: {@code ip netns exec NAME} bind-mounts each file
 * of /etc/netns/NAME over its twin in /etc, so programs run that way resolve the names written here
 * without a DNS server. netlib writes only files that start with its marker line, and restores the
 * previous content when an operation is undone.
 */
final class HostsFiles {
    static final String MARKER = "# written by netlib (dev.netlib.network); rewritten on every connect and disconnect";

    private final Path root;

    /** {@code root} is /etc/netns in production, a temporary directory in tests; null writes nothing. */
    HostsFiles(Path root) {
        this.root = root;
    }

    boolean enabled() {
        return root != null;
    }

    Optional<Path> file(String netnsName) {
        return root == null || netnsName == null ? Optional.empty() : Optional.of(root.resolve(netnsName).resolve("hosts"));
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

    /** Writes the file (creating /etc/netns/NAME if needed); the journal restores what was there. */
    void write(Journal j, String netnsName, String content) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty()) {
            return;
        }
        Path file = target.get();
        Path dir = file.getParent();
        try {
            boolean dirExisted = Files.isDirectory(dir);
            byte[] old = Files.exists(file) ? Files.readAllBytes(file) : null;
            if (old != null && !new String(old, StandardCharsets.UTF_8).startsWith(MARKER)) {
                throw new NetlibException(file + " exists and was not written by netlib; refusing to overwrite it "
                        + "(remove it, or configure another /etc/netns root)");
            }
            if (!dirExisted) {
                Files.createDirectories(dir);
                j.undo("mkdir " + dir, () -> deleteQuietly(dir));
            }
            writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
            j.undo("write " + file, () -> restore(file, old));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes netlib's file, and the directory if it is then empty; the journal puts them back. */
    void remove(Journal j, String netnsName) {
        Optional<Path> target = file(netnsName);
        if (target.isEmpty() || !Files.exists(target.get())) {
            return;
        }
        Path file = target.get();
        try {
            byte[] old = Files.readAllBytes(file);
            if (!new String(old, StandardCharsets.UTF_8).startsWith(MARKER)) {
                return;
            }
            Files.delete(file);
            j.undo("delete " + file, () -> restore(file, old));
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    /** The current content of netlib's file, or null if there is none. */
    String read(String netnsName) {
        Optional<Path> target = file(netnsName);
        try {
            return target.isPresent() && Files.exists(target.get()) ? Files.readString(target.get()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Another process may be reading (or rewriting) the same file: write a temporary file beside it
     * and rename it over the old one, so a reader sees the old or the new content, never half.
     */
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".hosts-", ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void restore(Path file, byte[] old) {
        try {
            if (old == null) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                writeAtomically(file, old);
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
