package dev.netlib;

import dev.netlib.error.NetlibException;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;
import dev.netlib.spi.change.Commands;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network namespace. An <em>owned</em> namespace was created through this handle and is deleted
 * by {@link #close()} (so try-with-resources leaves nothing behind); a <em>borrowed</em> one was
 * opened (by name, path or pid) or {@link #detach() detached}, and {@link #close()} only gives back
 * the file descriptor netlib holds on it.
 */
public final class Namespace implements AutoCloseable {
    private static final Logger CHANGES = LoggerFactory.getLogger("dev.netlib.changes");
    private final Backend backend;
    private final NetnsRef ref;
    private final boolean owned;
    private final boolean root;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The root handle's list this owned namespace is on until deleted or detached. */
    private volatile OwnedNamespaces registry;

    Namespace(Backend backend, NetnsRef ref, boolean owned, boolean root) {
        this.backend = backend;
        this.ref = ref;
        this.owned = owned;
        this.root = root;
    }

    /** The iproute2 name (the file under /var/run/netns), if the namespace has one. */
    public Optional<String> name() {
        return ref.name();
    }

    /** The namespace's inode: two handles on one namespace have the same inode. */
    public long inode() {
        return ref.inode();
    }

    /** True if {@link #close()} deletes the namespace. */
    public boolean isOwned() {
        return owned && !root;
    }

    /**
     * The backend's reference, for SPI-level code: netlib's network layer and test kit pass it to
     * the backend, which is why it stays public (see {@link Netlib#backend()}); ordinary use needs
     * none of it.
     *
     * @return the reference
     */
    public NetnsRef ref() {
        return ref;
    }

    Backend backend() {
        return backend;
    }

    /**
     * Runs {@code task} inside this namespace on a thread netlib owns (never the caller's), e.g. to
     * open sockets there, and returns its result. Exceptions of the task are rethrown as they are
     * when unchecked, wrapped in a {@link NetlibException} when checked.
     *
     * <p>Equivalent to: {@code ip netns exec NAME ...} for code instead of a program.
     */
    public <T> T run(Callable<T> task) {
        ensureOpen();
        try {
            return backend.run(ref, task);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new NetlibException("task in " + ref.describe() + " failed: " + e, e);
        }
    }

    /** Like {@link #run(Callable)} for code without a result. */
    public void run(Runnable task) {
        run(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Deletes the namespace: removes its name (lazy unmount and unlink) and releases netlib's
     * descriptor. Its links die with it once nothing else keeps it alive; veth peers outside go too.
     *
     * <p>Equivalent to: {@code ip netns del NAME}.
     */
    public void delete() {
        if (root) {
            throw new NetlibException("refusing to delete the namespace the backend was opened in (" + ref.describe() + ")");
        }
        synchronized (closed) {
            if (closed.get()) {
                return;
            }
            // marked closed only once the backend has deleted it: a failed delete leaves an open handle
            backend.deleteNamespace(ref);
            closed.set(true);
        }
        forget();
        if (CHANGES.isDebugEnabled()) {
            CHANGES.debug("{}", Commands.deleteNamespace(ref));
        }
    }

    /**
     * Turns an owned namespace into a borrowed handle: {@link #close()} will then keep the
     * namespace (and its name) and only release netlib's descriptor.
     */
    public Namespace detach() {
        ensureOpen();
        Namespace borrowed = new Namespace(backend, ref, false, root);
        closed.set(true); // this handle no longer owns the descriptor: the borrowed one does
        forget();
        return borrowed;
    }

    /** Deletes an owned namespace, or releases a borrowed one's descriptor. Idempotent. */
    @Override
    public void close() {
        if (root) {
            return;
        }
        if (owned) {
            delete();
        } else if (closed.compareAndSet(false, true)) {
            backend.release(ref);
        }
    }

    void ownedBy(OwnedNamespaces owner) {
        registry = owner;
    }

    private void forget() {
        OwnedNamespaces r = registry;
        if (r != null) {
            r.remove(this);
        }
    }

    /** True once the namespace was deleted (owned) or its descriptor released (borrowed). */
    public boolean isClosed() {
        return closed.get();
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new NetlibException(ref.describe() + " was closed or deleted");
        }
    }

    @Override
    public String toString() {
        return ref.describe();
    }
}
