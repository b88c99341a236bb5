package dev.netlib.linux.internal.netns;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.model.NetnsRef;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A network namespace held open by netlib: an {@code O_RDONLY|O_CLOEXEC} fd on its nsfs file
 * (which keeps the namespace alive even after its name is unmounted), its inode (identity) and
 * the worker threads that run code inside it. {@link NetnsManager#release} closes the fd once no
 * worker is still using it to enter the namespace.
 */
public final class LinuxNetns implements NetnsRef {
    /** How the ref was obtained; decides what {@link NetnsManager#delete} removes. */
    public enum Kind {
        /** The namespace the manager was opened in. */
        ROOT,
        /** /var/run/netns/NAME, made by netlib or iproute2. */
        NAMED,
        /** A namespace file by path (not under /var/run/netns). */
        PATH,
        /** /proc/PID/ns/net. */
        PID,
        /** Made by netlib without a name; lives while the fd (or something inside) holds it. */
        ANONYMOUS
    }

    private final Kind kind;
    private final String name;
    private final Path path;
    private final long inode;
    private final NetnsManager manager;
    private int fd;
    /** Workers entering the namespace right now (setns needs the fd open). */
    private int users;
    private boolean released;
    private volatile NamespaceExecutor executor;

    LinuxNetns(NetnsManager manager, Kind kind, int fd, long inode, String name, Path path) {
        this.manager = manager;
        this.kind = kind;
        this.fd = fd;
        this.inode = inode;
        this.name = name;
        this.path = path;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public String describe() {
        switch (kind) {
            case NAMED:
                return "netns " + name;
            case ANONYMOUS:
                return "anonymous netns " + inode;
            case ROOT:
                return "netns " + inode + " (root of this backend)";
            default:
                return path + " (netns " + inode + ")";
        }
    }

    @Override
    public long inode() {
        return inode;
    }

    @Override
    public String ipArgument() {
        return kind == Kind.ROOT ? null : NetnsRef.super.ipArgument();
    }

    @Override
    public boolean isRoot() {
        return kind == Kind.ROOT;
    }

    @Override
    public Optional<Path> file() {
        return kind == Kind.PATH || kind == Kind.PID ? Optional.ofNullable(path) : Optional.empty();
    }

    public Kind kind() {
        return kind;
    }

    /** The namespace file it was opened from (null for anonymous ones). */
    public Path path() {
        return path;
    }

    /** The manager that made this ref. */
    public NetnsManager manager() {
        return manager;
    }

    /**
     * The fd on the namespace, for netlink attributes such as IFLA_NET_NS_FD and NETNSA_FD. Valid
     * until the ref is released.
     */
    public synchronized int fd() {
        if (released) {
            throw releasedError();
        }
        return fd;
    }

    /**
     * What using a released ref throws: EBADF, as the closed fd behind it would give (the same
     * errno FakeKernel gives).
     */
    public KernelException releasedError() {
        return new KernelException(Errno.EBADF, "setns " + describe(), "the namespace reference was released");
    }

    public synchronized boolean isReleased() {
        return released;
    }

    /**
     * The fd, kept open until the matching {@link #unpin()} even if the ref is released meanwhile
     * (so a concurrent release cannot close it, and its number be reused, while a setns or a
     * netlink message that carries it is under way). Throws EBADF if already released.
     */
    public synchronized int pin() {
        if (released) {
            throw releasedError();
        }
        users++;
        return fd;
    }

    /** Ends a {@link #pin()}; closes the fd if the ref was released meanwhile and nobody else pins it. */
    public synchronized void unpin() {
        users--;
        closeIfDone();
    }

    NamespaceExecutor executor() {
        NamespaceExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                if (released) {
                    throw releasedError();
                }
                e = executor;
                if (e == null) {
                    e = new NamespaceExecutor(this);
                    executor = e;
                }
            }
        }
        return e;
    }

    /** Stops the workers and closes the fd (once no worker is entering). Idempotent; true the first time. */
    boolean releaseResources() {
        NamespaceExecutor e;
        synchronized (this) {
            if (released) {
                return false;
            }
            released = true;
            e = executor;
        }
        if (e != null) {
            e.shutdown();
        }
        synchronized (this) {
            closeIfDone();
        }
        return true;
    }

    private void closeIfDone() {
        if (released && users == 0 && fd >= 0) {
            Syscalls.closeQuietly(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
