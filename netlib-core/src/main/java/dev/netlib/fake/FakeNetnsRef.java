package dev.netlib.fake;

import dev.netlib.model.NetnsRef;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A FakeKernel reference to one namespace, like the Linux backend's open namespace fd: it keeps
 * the namespace alive until released, and a released ref fails with EBADF as a closed fd would.
 */
final class FakeNetnsRef implements NetnsRef {
    final FakeNamespace target;
    private final String name;
    /** The file it was opened by (a pid's or another path), as the Linux backend keeps it. */
    private final Path file;
    boolean released;

    FakeNetnsRef(FakeNamespace target, String name) {
        this(target, name, null);
    }

    FakeNetnsRef(FakeNamespace target, String name, Path file) {
        this.target = target;
        this.name = name;
        this.file = file;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public String describe() {
        if (file != null) {
            return file + " (netns " + target.inode + ")";
        }
        if (target.root) {
            return "root netns (fake " + target.inode + ")";
        }
        return name != null ? "netns " + name : "anonymous netns " + target.inode;
    }

    @Override
    public boolean isRoot() {
        return target.root && file == null;
    }

    @Override
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public long inode() {
        return target.inode;
    }

    @Override
    public String toString() {
        return describe();
    }
}
