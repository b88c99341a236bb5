package dev.netlib.overlay;

import dev.netlib.network.SharedHostsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static final String BEGIN = SharedHostsFile.OVERLAY_BEGIN;
    static final String END = SharedHostsFile.OVERLAY_END;

    private NamesFile() {}

    /**
     * Replaces the section of {@code netns}'s hosts file under {@code root} with {@code lines}; empty
     * lines remove it. Read and written under the file's locks ({@link SharedHostsFile#rewriteOwn}), so
     * the network layer's body, which another thread or process may be rewriting at this moment, is
     * kept as it is then; and only while the name is the container's own file: a container whose name
     * became a link to its (local) network's file meanwhile has left its overlay networks, and the
     * section would reach every container on that network.
     */
    static void write(Path root, String netns, List<String> lines) throws IOException {
        Path dir = root.resolve(netns);
        Path file = dir.resolve("hosts");
        if (lines.isEmpty() && !Files.exists(file)) {
            return; // nothing to remove, and no empty file to create
        }
        Files.createDirectories(dir);
        SharedHostsFile.rewriteOwn(file, old -> {
            StringBuilder out = new StringBuilder();
            String body = SharedHostsFile.withoutOverlaySection(old);
            if (body.isEmpty()) {
                // a file the agent creates starts like the network layer's, which may then rewrite it
                out.append(SharedHostsFile.MARKER).append('\n');
                out.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
            } else {
                out.append(body);
                if (!body.endsWith("\n")) {
                    out.append('\n');
                }
            }
            if (!lines.isEmpty()) {
                out.append(BEGIN).append('\n');
                lines.forEach(l -> out.append(l).append('\n'));
                out.append(END).append('\n');
            }
            return out.toString().equals(old) ? null : out.toString();
        }, true);
    }
}
