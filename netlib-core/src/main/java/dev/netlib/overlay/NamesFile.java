package dev.netlib.overlay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Names across hosts: a section of the container's hosts file ({@code /etc/netns/NAME/hosts}, which
 * {@code ip netns exec} bind-mounts over {@code /etc/hosts}) listing every endpoint of the
 * container's overlay networks, on every host, by name.
 *
 * <p>The file is rewritten in place (truncate and write on the same inode), never replaced by a
 * rename: a running program's {@code /etc/hosts} is a bind mount of that inode, and glibc reads the
 * file again on every lookup, so a change is visible at once to programs already running. Only the
 * section between the markers is netlib's; what else is in the file stays.
 */
final class NamesFile {
    static final String BEGIN = "# netlib overlay names begin (rewritten from the cluster store)";
    static final String END = "# netlib overlay names end";
    /**
     * The first line of a file the network layer writes (dev.netlib.network.HostsFiles.MARKER): a file
     * the agent creates starts with it, so the network layer may rewrite it (it refuses files that are
     * not netlib's). Must stay equal to that constant.
     */
    static final String NETWORK_LAYER_MARKER = "# written by netlib (dev.netlib.network); rewritten on every connect and disconnect";

    private NamesFile() {}

    /** Replaces the section of {@code netns}'s hosts file under {@code root} with {@code lines}; empty lines remove it. */
    static void write(Path root, String netns, List<String> lines) throws IOException {
        Path dir = root.resolve(netns);
        Path file = dir.resolve("hosts");
        String old = Files.exists(file) ? Files.readString(file) : "";
        if (lines.isEmpty() && !old.contains(BEGIN)) {
            return;
        }
        StringBuilder out = new StringBuilder();
        boolean inSection = false;
        for (String line : old.split("\n", -1)) {
            if (line.equals(BEGIN)) {
                inSection = true;
            } else if (line.equals(END)) {
                inSection = false;
            } else if (!inSection && !line.isEmpty()) {
                out.append(line).append('\n');
            }
        }
        if (old.isEmpty()) {
            out.append(NETWORK_LAYER_MARKER).append('\n');
            out.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        }
        if (!lines.isEmpty()) {
            out.append(BEGIN).append('\n');
            lines.forEach(l -> out.append(l).append('\n'));
            out.append(END).append('\n');
        }
        if (out.toString().equals(old)) {
            return;
        }
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
            ch.truncate(0);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
