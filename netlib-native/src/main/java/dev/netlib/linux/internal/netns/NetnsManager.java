package dev.netlib.linux.internal.netns;

import static dev.netlib.linux.internal.ffi.LinuxConstants.CLONE_NEWNET;
import static dev.netlib.linux.internal.ffi.LinuxConstants.MNT_DETACH;
import static dev.netlib.linux.internal.ffi.LinuxConstants.MS_BIND;
import static dev.netlib.linux.internal.ffi.LinuxConstants.MS_REC;
import static dev.netlib.linux.internal.ffi.LinuxConstants.MS_SHARED;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_CLOEXEC;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_CREAT;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_EXCL;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_RDONLY;
import static dev.netlib.linux.internal.ffi.LinuxConstants.O_WRONLY;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.BusyException;
import dev.netlib.error.Errno;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.error.PermissionDeniedException;
import dev.netlib.linux.internal.ffi.LibC;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.value.NamespaceName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network namespaces for the Linux backend: create (named exactly as {@code ip netns add} makes
 * them, or anonymous), open by name, path or pid, delete, list, and run code inside one.
 *
 * <p>Every setns and unshare happens on a platform thread netlib owns ({@link NamespaceExecutor}),
 * never on the caller's thread, so the caller's {@code /proc/thread-self/ns/net} is the same after
 * every call, failed or not. Thread-safe.
 */
public final class NetnsManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetnsManager.class);
    /** Serializes the shared-mount setup of /var/run/netns, which must not stack bind mounts. */
    private static final Object RUN_DIR_LOCK = new Object();
    /**
     * /var/run/netns exists and is a shared mount: done once per process, not before every create
     * (iproute2 does it per command, one per process too). Reset when a create finds the directory
     * gone (ENOENT), so it is made again.
     */
    private static volatile boolean runDirReady;

    private final LibC libc;
    private final LinuxNetns root;
    private final Set<LinuxNetns> refs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Opens a manager bound to the network namespace of the calling thread
     * ({@code /proc/thread-self/ns/net}): that is {@link #root()}, and where new namespaces are
     * created from.
     */
    public NetnsManager() {
        this.libc = Syscalls.libc();
        int fd = openFd(NsFiles.THREAD_NET, "open " + NsFiles.THREAD_NET);
        long inode;
        try {
            inode = NsFiles.inodeOfFd(fd);
        } catch (RuntimeException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
        this.root = new LinuxNetns(this, LinuxNetns.Kind.ROOT, fd, inode, null, Path.of(NsFiles.THREAD_NET));
    }

    /**
     * The identity of the network namespace the calling thread is in: the inode of its nsfs file
     * ({@code /proc/thread-self/ns/net}, never {@code /proc/self}, which is the main thread's). Unique
     * among the host's live namespaces; the kernel may give it to a new namespace once this one is freed.
     *
     * @return the nsfs inode number
     */
    public static long currentThreadInode() {
        return NsFiles.currentInode();
    }

    /** The namespace of the thread that opened this manager. Released only by {@link #close()}. */
    public LinuxNetns root() {
        return root;
    }

    // ------------------------------------------------------------------ create

    /**
     * Creates a namespace: named (a bind mount at /var/run/netns/NAME) or, with {@code null},
     * anonymous (kept alive by the returned ref's fd).
     *
     * <p>Equivalent to: {@code ip netns add NAME} (named), {@code unshare --net} (anonymous).
     */
    public LinuxNetns create(String nameOrNull) {
        return create(nameOrNull, null).ns();
    }

    /** A namespace just made, and what {@link #create(String, Callable)}'s task returned inside it. */
    public record Created<T>(LinuxNetns ns, T inside) {}

    /**
     * {@link #unshareAndHold} as the root worker's job: a class, not a lambda, as every program's
     * first namespace create runs it (a capturing lambda's first call costs 1.7-2.4 ms in a fresh
     * JVM, BENCHMARKS.md, "lambdas out of the cold path").
     */
    private final class UnshareAndHold<T> implements Callable<Unshared<T>> {
        private final String op;
        private final Callable<T> insideTask;

        UnshareAndHold(String op, Callable<T> insideTask) {
            this.op = op;
            this.insideTask = insideTask;
        }

        @Override
        public Unshared<T> call() throws Exception {
            return unshareAndHold(op, insideTask);
        }
    }

    /**
     * A namespace the root worker has just made, not yet named or tracked: the fd that holds it,
     * its inode, and what the inside task returned. Whoever has it either hands the fd to a
     * {@link LinuxNetns} or calls {@link #discard}.
     */
    private record Unshared<T>(int fd, long inode, T inside) {
        /** Closes the fd (the namespace goes with it, nothing else holds it yet) and the inside task's result. */
        void discard(Throwable cause) {
            Syscalls.closeQuietly(fd);
            if (inside instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    /**
     * Creates a namespace as {@link #create(String)} does and, while the creating thread is still
     * inside it, runs {@code insideTask} there (e.g. to open the namespace's netlink socket
     * without starting a worker thread for it). If the task fails, the namespace is not kept and
     * the task's exception is thrown. A result that is {@link AutoCloseable} is closed if the
     * namespace cannot be handed out after all.
     *
     * <p>A named create hands the unshare to the root worker first and makes the name's
     * placeholder file on the calling thread while it runs, then bind-mounts the new namespace
     * from the fd the worker holds on it: the two steps are independent until the mount, and each
     * can cost 0.2-0.4 ms of kernel time (unshare: setup_net; the placeholder: an O_CREAT|O_EXCL
     * open in /var/run/netns, an inode allocation on the file system under /run), so the caller
     * waits for the longer one, not for both plus the hand-off
     * (BENCHMARKS.md, "named namespaces in parallel"). If the name is taken, the namespace just made
     * is closed again and nothing else changed.
     */
    public <T> Created<T> create(String nameOrNull, Callable<T> insideTask) {
        ensureOpen();
        if (nameOrNull == null) {
            Unshared<T> u = runInternal(root, new UnshareAndHold<>("unshare(CLONE_NEWNET)", insideTask));
            Created<T> c = tracked(new Created<>(held(u, LinuxNetns.Kind.ANONYMOUS, null, null), u.inside()));
            LOG.debug("unshare --net ({})", c.ns().describe());
            return c;
        }
        NamespaceName.validate(nameOrNull);
        String name = nameOrNull;
        Path file = NsFiles.NETNS_RUN_DIR.resolve(name);
        String op = "ip netns add " + name;
        prepareRunDir(op);
        NamespaceExecutor.Pending<Unshared<T>> unsharing = startInternal(root, new UnshareAndHold<>(op, insideTask));
        try {
            Syscalls.closeQuietly(createPlaceholder(file, name, op));
        } catch (RuntimeException | Error e) { // the namespace made meanwhile must not outlive this call
            Unshared<T> u = awaitAfterFailure(unsharing, e);
            if (u != null) {
                u.discard(e);
            }
            throw e;
        }
        boolean done = false;
        Unshared<T> u = null;
        try {
            u = awaitInternal(root, unsharing);
            // the new namespace's nsfs file, through the fd that holds it (as the worker's own
            // /proc/thread-self/ns/net would be while it was inside)
            String source = "/proc/thread-self/fd/" + u.fd();
            if (libc.mount(source, file.toString(), "none", MS_BIND, null) < 0) { // a bind mount does not block
                throw Syscalls.failure(op + ": mount --bind " + source + " " + file);
            }
            T inside = u.inside();
            LinuxNetns ns = held(u, LinuxNetns.Kind.NAMED, name, file);
            u = null; // the ref holds the fd now; tracked() releases it (and closes inside) if it fails
            Created<T> c = tracked(new Created<>(ns, inside));
            LOG.debug("{}", op);
            done = true;
            return c;
        } catch (RuntimeException | Error e) {
            if (u != null) {
                u.discard(e);
            }
            throw e;
        } finally {
            if (!done) {
                // the unshare, the task or the mount failed: nothing of the namespace may stay
                libc.umount2(file.toString(), MNT_DETACH);
                unlinkQuietly(file);
            }
        }
    }

    /** The ref that takes over the fd of a namespace just made. */
    private <T> LinuxNetns held(Unshared<T> u, LinuxNetns.Kind kind, String name, Path file) {
        return new LinuxNetns(this, kind, u.fd(), u.inode(), name, file);
    }

    /**
     * Runs on a root worker: unshare(CLONE_NEWNET), keep an fd on the new namespace, run {@code
     * insideTask}, then setns back to the root namespace with the fd held on it. No inode checks
     * beyond the one that names the new namespace: the fd was opened on this thread's namespace
     * right after the unshare, and a successful setns on the root's fd puts the thread there (if it
     * fails, the worker is discarded).
     */
    private <T> Unshared<T> unshareAndHold(String op, Callable<T> insideTask) throws Exception {
        NamespaceExecutor.requireWorker("unshare(CLONE_NEWNET)");
        NamespaceExecutor.switchedAway();
        if (libc.unshare(CLONE_NEWNET) < 0) { // unshare does not block: never interrupted
            throw Syscalls.failure(op + ": unshare(CLONE_NEWNET)");
        }
        int fd = -1;
        try {
            fd = openFd(NsFiles.THREAD_NET, op + ": open " + NsFiles.THREAD_NET);
            long inode = NsFiles.inodeOfFd(fd);
            T inside = insideTask == null ? null : insideTask.call();
            Unshared<T> u = new Unshared<>(fd, inode, inside);
            fd = -1;
            return u;
        } finally {
            if (fd >= 0) {
                Syscalls.closeQuietly(fd);
            }
            switchBackToRoot(op);
        }
    }

    /** setns back to the root namespace on its held fd; if that fails the worker is discarded after the task. */
    private void switchBackToRoot(String op) {
        int fd = root.pin();
        try {
            if (libc.setns(fd, CLONE_NEWNET) < 0) { // setns does not block: never interrupted
                LOG.error("{}: setns back to {} failed ({}); this worker thread is discarded", op, root.describe(), Syscalls.lastErrno());
                return;
            }
        } finally {
            root.unpin();
        }
        NamespaceExecutor.switchedBack();
    }

    /** mkdir /var/run/netns 0755 and make it a shared mount, as iproute2's netns_add does. */
    private void prepareRunDir(String op) {
        if (runDirReady) {
            return;
        }
        Path dir = NsFiles.NETNS_RUN_DIR;
        synchronized (RUN_DIR_LOCK) {
            if (runDirReady) {
                return;
            }
            try {
                // one stat in the usual case: an existing directory made createDirectory build and
                // throw FileAlreadyExistsException, most of a process's first create (~0.6 ms)
                if (!dir.toFile().isDirectory()) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                }
            } catch (FileAlreadyExistsException e) {
                // fine
            } catch (AccessDeniedException e) {
                throw new PermissionDeniedException(Errno.EACCES, op + ": mkdir " + dir,
                        "named network namespaces need CAP_SYS_ADMIN and write access to " + dir.getParent());
            } catch (IOException e) {
                throw new KernelException(Errno.EIO, op + ": mkdir " + dir, e.getMessage());
            }
            // Shared propagation, so that unmounting a name in one mount namespace unmounts it in all
            // and the namespace can be freed. EINVAL: not a mount point yet: bind it onto itself first.
            boolean boundOntoItself = false;
            // neither mount blocks: never interrupted
            while (libc.mount("", dir.toString(), "none", MS_SHARED | MS_REC, null) < 0) {
                Errno err = Syscalls.lastErrno();
                if (err.number() != Errno.EINVAL.number() || boundOntoItself) {
                    throw KernelException.of(err, op + ": mount --make-shared " + dir, null);
                }
                if (libc.mount(dir.toString(), dir.toString(), "none", MS_BIND | MS_REC, null) < 0) {
                    throw Syscalls.failure(op + ": mount --bind " + dir + " " + dir);
                }
                boundOntoItself = true;
            }
            runDirReady = true;
        }
    }

    // ------------------------------------------------------------------ open

    /**
     * Opens an existing namespace by name (/var/run/netns/NAME), path or pid (/proc/PID/ns/net).
     *
     * <p>Equivalent to: what {@code ip netns exec NAME} and {@code nsenter --net=PATH} open.
     */
    public LinuxNetns open(NamespaceLocator locator) {
        ensureOpen();
        if (locator instanceof NamespaceLocator.ByName n) {
            Path path = NsFiles.NETNS_RUN_DIR.resolve(n.name());
            return track(openFile(path, LinuxNetns.Kind.NAMED, n.name(), "no network namespace named " + n.name()));
        } else if (locator instanceof NamespaceLocator.ByPid p) {
            Path path = Path.of("/proc/" + p.pid() + "/ns/net");
            return track(openFile(path, LinuxNetns.Kind.PID, null, "no process " + p.pid()));
        } else if (locator instanceof NamespaceLocator.ByPath p) {
            Path path = p.path().toAbsolutePath().normalize();
            Path parent = path.getParent();
            if (parent != null && (parent.equals(NsFiles.NETNS_RUN_DIR) || parent.equals(Path.of("/run/netns")))) {
                String name = path.getFileName().toString();
                return track(openFile(path, LinuxNetns.Kind.NAMED, name, "no network namespace named " + name));
            }
            return track(openFile(path, LinuxNetns.Kind.PATH, null, "no such file"));
        }
        throw new InvalidConfigException("unknown namespace locator " + locator);
    }

    private LinuxNetns openFile(Path path, LinuxNetns.Kind kind, String name, String missing) {
        String op = "open " + path;
        int fd = open(path.toString(), O_RDONLY);
        if (fd < 0) {
            Errno err = Syscalls.lastErrno();
            if (err.number() == Errno.ENOENT.number()) {
                throw new NotFoundException(err, op, missing + ": " + path + " does not exist");
            }
            throw KernelException.of(err, op, null);
        }
        try {
            long inode = NsFiles.inodeOfFd(fd);
            if (inode < 0) {
                throw new InvalidConfigException(path + " is not a network namespace (it is " + NsFiles.describeFd(fd)
                        + (kind == LinuxNetns.Kind.NAMED ? "; a name left behind by an interrupted ip netns add?" : "") + ")");
            }
            return new LinuxNetns(this, kind, fd, inode, name, path);
        } catch (RuntimeException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    // ------------------------------------------------------------------ delete, release, list

    /**
     * Removes a named namespace's name (lazy unmount, then unlink) and releases the ref; the
     * namespace goes once nothing else holds it. Other refs are only released. The name is removed
     * only while it still names the namespace of this ref (by inode).
     *
     * <p>Equivalent to: {@code ip netns del NAME}.
     */
    public void delete(NetnsRef ref) {
        LinuxNetns ns = own(ref);
        if (ns.kind() == LinuxNetns.Kind.ROOT) {
            throw new BusyException(Errno.EBUSY, "ip netns del " + ns.describe(),
                    "refusing to delete the namespace the backend was opened in");
        }
        if (ns.isReleased()) {
            throw ns.releasedError(); // its name may belong to another namespace by now
        }
        try {
            if (ns.kind() == LinuxNetns.Kind.NAMED) {
                Path file = ns.path();
                long now = NsFiles.inodeOfPath(file);
                if (now == ns.inode()) {
                    LOG.debug("ip netns del {}", ns.name().orElse(file.toString()));
                    // iproute2 ignores umount2's result too: a name that is no mount is still unlinked
                    libc.umount2(file.toString(), MNT_DETACH);
                    try {
                        Files.delete(file);
                    } catch (NoSuchFileException e) {
                        // removed meanwhile
                    } catch (AccessDeniedException e) {
                        throw new PermissionDeniedException(Errno.EACCES, "ip netns del " + ns.name().orElse(""),
                                "removing " + file + " needs CAP_SYS_ADMIN");
                    } catch (IOException e) {
                        throw new KernelException(Errno.EIO, "ip netns del " + ns.name().orElse(""), "unlink " + file + ": " + e);
                    }
                } else if (now >= 0) {
                    LOG.warn("{} now names another namespace (inode {}, this ref holds {}): left in place", file, now, ns.inode());
                }
            }
        } finally {
            release(ns);
        }
    }

    /**
     * Removes the name /var/run/netns/NAME, whatever namespace it names now: lazy unmount, then
     * unlink, and nothing else (no open, no inode check: 2 syscalls). Refs held on the namespace
     * stay valid; it goes once nothing holds it.
     *
     * <p>Equivalent to: {@code ip netns del NAME}.
     */
    public void delete(String name) {
        ensureOpen();
        NamespaceName.validate(name);
        String file = NsFiles.NETNS_RUN_DIR.resolve(name).toString();
        String op = "ip netns del " + name; // logged by the caller (Namespaces), once, as FakeKernel's
        // iproute2 ignores umount2's result too: a name that is no mount is still unlinked
        libc.umount2(file, MNT_DETACH);
        if (libc.unlink(file) < 0) { // unlink does not block: never interrupted
            Errno err = Syscalls.lastErrno();
            if (err.number() == Errno.ENOENT.number()) {
                throw new NotFoundException(err, op, "no network namespace named " + name + ": " + file + " does not exist");
            }
            throw KernelException.of(err, op + ": unlink " + file, null);
        }
    }

    /** Closes the ref's fd and ends its worker threads. Idempotent; the root ref is kept until {@link #close()}. */
    public void release(NetnsRef ref) {
        LinuxNetns ns = own(ref);
        if (ns.kind() == LinuxNetns.Kind.ROOT) {
            return;
        }
        ns.releaseResources();
        refs.remove(ns);
    }

    /**
     * The names under /var/run/netns, sorted.
     *
     * <p>Equivalent to: {@code ip netns list}.
     */
    public List<String> list() {
        try (Stream<Path> s = Files.list(NsFiles.NETNS_RUN_DIR)) {
            List<String> out = new ArrayList<>();
            s.forEach(p -> out.add(p.getFileName().toString()));
            out.sort(null);
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, "ip netns list", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ run inside

    /**
     * Runs {@code task} inside {@code ns} on a platform thread netlib owns and returns its result;
     * the task's exceptions are rethrown as they are. The calling thread never changes namespace.
     * A thread the task starts is born inside {@code ns} and stays there (so is a pool thread a
     * shared pool, such as the common ForkJoinPool, happens to start from inside the task): start
     * threads of the caller's world outside such tasks.
     *
     * <p>Equivalent to: {@code ip netns exec NAME ...} for code.
     */
    public <T> T run(NetnsRef ns, Callable<T> task) throws Exception {
        ensureOpen();
        return own(ns).executor().call(task, true);
    }

    /** {@link #run} for netlib's own short tasks: checked exceptions become {@link NetlibException}s. */
    public <T> T runInternal(NetnsRef ns, Callable<T> task) {
        return awaitInternal(ns, startInternal(ns, task));
    }

    /** {@link #runInternal}'s first half: starts {@code task} in {@code ns} and returns at once. */
    private <T> NamespaceExecutor.Pending<T> startInternal(NetnsRef ns, Callable<T> task) {
        ensureOpen();
        return own(ns).executor().submit(task, false);
    }

    /** {@link #runInternal}'s second half: the task's result, or its failure as runInternal throws it. */
    private static <T> T awaitInternal(NetnsRef ns, NamespaceExecutor.Pending<T> pending) {
        try {
            return pending.await(false);
        } catch (Exception e) {
            throw internalFailure(ns, e);
        }
    }

    /**
     * Waits for a task started before the caller failed with {@code cause}: its result, or null
     * with its own failure added to {@code cause} as suppressed.
     */
    private static <T> T awaitAfterFailure(NamespaceExecutor.Pending<T> pending, Throwable cause) {
        try {
            return pending.await(false);
        } catch (Exception e) {
            cause.addSuppressed(e);
            return null;
        }
    }

    /** A failure of netlib's own task in {@code ns}, unchecked: as it is, or wrapped if checked. */
    private static RuntimeException internalFailure(NetnsRef ns, Exception e) {
        return e instanceof RuntimeException r ? r : new NetlibException("task in " + ns.describe() + " failed: " + e, e);
    }

    /**
     * {@link #runInternal} for a task that only needs to run inside {@code ns} and does not change
     * the thread (opening a socket there): run on the calling thread when that thread is in {@code
     * ns} already, as the thread that opened the backend is in its root namespace. Saves starting
     * (or waking) a worker and the two hand-offs, which were most of the first request of a fresh
     * JVM (issue 13). One readlink of /proc/thread-self/ns/net decides; nothing here enters a
     * namespace, so setns still never runs on the caller's thread.
     */
    public <T> T runInternalWhereCallerIs(NetnsRef ns, Callable<T> task) {
        ensureOpen();
        if (NsFiles.currentInode() != own(ns).inode()) {
            return runInternal(ns, task);
        }
        try {
            return task.call();
        } catch (Exception e) {
            throw internalFailure(ns, e);
        }
    }

    /**
     * Opens a socket inside {@code ns} (close-on-exec); it stays in that namespace whichever thread
     * uses it. Returns the fd.
     */
    public int openSocket(NetnsRef ns, int domain, int type, int protocol) {
        return runInternal(ns, () -> {
            int fd = libc.socket(domain, type | LinuxConstants.SOCK_CLOEXEC, protocol); // does not block
            if (fd < 0) {
                throw Syscalls.failure("socket(" + domain + ", " + type + ", " + protocol + ") in " + ns.describe());
            }
            return fd;
        });
    }

    // ------------------------------------------------------------------ sysctls

    /**
     * Reads a sysctl of {@code ns}: /proc/sys is opened from a thread inside the namespace, because
     * the kernel shows the net.* tables of the opener's namespace.
     *
     * <p>Equivalent to: {@code ip netns exec NAME sysctl -n KEY}.
     */
    public String readSysctl(NetnsRef ns, String key) {
        String path = NsFiles.sysctlPath(key);
        String op = "sysctl -n " + key + " in " + ns.describe();
        return runInternal(ns, () -> {
            int fd = openSysctl(path, O_RDONLY, key, op, ns);
            try {
                byte[] buf = new byte[4096];
                StringBuilder sb = new StringBuilder();
                while (true) {
                    long n;
                    do {
                        n = libc.read(fd, buf, buf.length);
                    } while (Syscalls.interrupted(n));
                    if (n < 0) {
                        throw Syscalls.failure(op);
                    }
                    if (n == 0) {
                        break;
                    }
                    sb.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
                }
                return sb.toString().strip();
            } finally {
                Syscalls.closeQuietly(fd);
            }
        });
    }

    /**
     * Writes a sysctl of {@code ns} from a thread inside it.
     *
     * <p>Equivalent to: {@code ip netns exec NAME sysctl -w KEY=VALUE}.
     */
    public void writeSysctl(NetnsRef ns, String key, String value) {
        String path = NsFiles.sysctlPath(key);
        String op = "sysctl -w " + key + "=" + value + " in " + ns.describe();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        runInternal(ns, () -> {
            int fd = openSysctl(path, O_WRONLY, key, op, ns);
            try {
                long n;
                do {
                    n = libc.write(fd, bytes, bytes.length);
                } while (Syscalls.interrupted(n));
                if (n < 0) {
                    throw Syscalls.failure(op);
                }
                if (n != bytes.length) {
                    throw new KernelException(Errno.EIO, op, "short write: " + n + " of " + bytes.length + " bytes");
                }
                return null;
            } finally {
                Syscalls.closeQuietly(fd);
            }
        });
    }

    private int openSysctl(String path, int mode, String key, String op, NetnsRef ns) {
        int fd = open(path, mode);
        if (fd < 0) {
            Errno e = Syscalls.lastErrno();
            if (e.number() == Errno.ENOENT.number()) {
                throw new NotFoundException(e, op, "no sysctl " + key + " (" + path + ") in " + ns.describe());
            }
            throw KernelException.of(e, op, null);
        }
        return fd;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Releases every ref this manager handed out, then the root ref. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LinuxNetns ns : new ArrayList<>(refs)) {
            ns.releaseResources();
        }
        refs.clear();
        root.releaseResources();
    }

    /** Refs handed out and not yet released (for tests). */
    public int openRefs() {
        return refs.size();
    }

    private <T> Created<T> tracked(Created<T> c) {
        try {
            track(c.ns());
        } catch (RuntimeException e) {
            if (c.inside() instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return c;
    }

    private LinuxNetns track(LinuxNetns ns) {
        refs.add(ns);
        if (closed) {
            ns.releaseResources();
            refs.remove(ns);
            throw new NetlibException("the namespace manager was closed");
        }
        return ns;
    }

    private LinuxNetns own(NetnsRef ref) {
        if (ref instanceof LinuxNetns ns && ns.manager() == this) {
            return ns;
        }
        throw new KernelException(Errno.EBADF, "setns " + ref, "not a namespace reference of this backend");
    }

    private void ensureOpen() {
        if (closed) {
            throw new NetlibException("the namespace manager was closed");
        }
    }

    private int openFd(String path, String op) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            throw Syscalls.failure(op);
        }
        return fd;
    }

    /** open(2) with O_CLOEXEC added, retried on EINTR; the fd, or -1 with errno in {@link Syscalls#lastErrno()}. */
    private int open(String path, int flags) {
        int fd;
        do {
            fd = libc.open(path, flags | O_CLOEXEC, 0);
        } while (Syscalls.interrupted(fd));
        return fd;
    }

    /**
     * iproute2's open(netns_path, O_RDONLY|O_CREAT|O_EXCL, 0): the mount point, and the lock on the
     * name. Makes /var/run/netns again if someone removed it since. Returns the fd.
     */
    private int createPlaceholder(Path file, String name, String op) {
        int placeholder = open(file.toString(), O_RDONLY | O_CREAT | O_EXCL);
        if (placeholder < 0 && Syscalls.lastErrno().number() == Errno.ENOENT.number()) {
            runDirReady = false; // someone removed /var/run/netns since: make it again
            prepareRunDir(op);
            placeholder = open(file.toString(), O_RDONLY | O_CREAT | O_EXCL);
        }
        if (placeholder < 0) {
            Errno err = Syscalls.lastErrno();
            if (err.number() == Errno.EEXIST.number()) {
                throw new AlreadyExistsException(err, op, "a namespace named " + name + " already exists (" + file + ")");
            }
            throw KernelException.of(err, op + ": create " + file, null);
        }
        return placeholder;
    }

    private static void unlinkQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", file, e.toString());
        }
    }
}
