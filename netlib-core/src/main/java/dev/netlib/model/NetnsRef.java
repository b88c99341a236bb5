package dev.netlib.model;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A backend's reference to one network namespace. The Linux backend keeps an open fd on the
 * namespace (and its netlink sockets) behind it, so a namespace stays usable even after its
 * /var/run/netns name is gone; {@code Backend.release} (in the SPI) gives those resources back.
 */
public interface NetnsRef {
    /** The iproute2 name under /var/run/netns, when the namespace has one. */
    Optional<String> name();

    /** Human-readable: {@code netns ns1}, {@code /proc/1234/ns/net}, {@code anonymous netns 4026532}. */
    String describe();

    /** The namespace's inode number (its identity: two refs to one namespace have the same inode). */
    long inode();

    /** The argument {@code ip -n} or {@code ip link ... netns} would take, or null for the root handle's own namespace. */
    default String ipArgument() {
        return name().orElse(null);
    }

    /**
     * Whether this is the namespace the backend was opened in (the caller's own): its changes are
     * rendered as commands without a namespace option.
     *
     * @return true for the backend's own namespace
     */
    default boolean isRoot() {
        return false;
    }

    /**
     * The namespace file it was opened from when it has no iproute2 name ({@code /proc/PID/ns/net}
     * or another path): commands for it are rendered as {@code nsenter --net=PATH ...}.
     *
     * @return the file, or empty for a named, anonymous or root namespace
     */
    default Optional<Path> file() {
        return Optional.empty();
    }
}
