package dev.netlib.fake;

import dev.netlib.spi.NetnsRef;
import java.util.Optional;

/**
 * A FakeKernel reference to one namespace, like the Linux backend's open namespace fd: it keeps
 * the namespace alive until released, and a released ref fails with EBADF as a closed fd would.
 */
final class FakeNetnsRef implements NetnsRef {
    final FakeNamespace target;
    private final String name;
    boolean released;

    FakeNetnsRef(FakeNamespace target, String name) {
        this.target = target;
        this.name = name;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public String describe() {
        if (target.root) {
            return "root netns (fake " + target.inode + ")";
        }
        return name != null ? "netns " + name : "anonymous netns " + target.inode;
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
