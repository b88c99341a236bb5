package dev.netlib;

import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceLocator;
import dev.netlib.spi.change.Commands;
import dev.netlib.value.NamespaceName;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating, opening and listing network namespaces. Obtained from {@link Netlib#namespaces()}. */
public final class Namespaces {
    private static final Logger CHANGES = LoggerFactory.getLogger("dev.netlib.changes");
    private final Backend backend;
    private final OwnedNamespaces owned;

    Namespaces(Backend backend, OwnedNamespaces owned) {
        this.backend = backend;
        this.owned = owned;
    }

    /**
     * Creates a named namespace, made exactly as iproute2 makes it (a bind mount at
     * /var/run/netns/NAME), so {@code ip netns list} and {@code ip netns exec} see it. The returned
     * handle owns it: {@link Namespace#close()} deletes it.
     *
     * <p>Equivalent to: {@code ip netns add NAME}.
     */
    public Namespace create(String name) {
        NamespaceName.validate(name);
        return logged(new Namespace(backend, backend.createNamespace(name), true, false));
    }

    /**
     * Creates an anonymous namespace that lives as long as the handle (or something inside it,
     * such as a process) keeps it alive. Cheaper than a named one: no mount.
     *
     * <p>Equivalent to: {@code unshare --net} without a name.
     */
    public Namespace createAnonymous() {
        return logged(new Namespace(backend, backend.createNamespace(null), true, false));
    }

    /** Logs a new namespace as the command that makes it (an anonymous one by its stable label). */
    private Namespace logged(Namespace ns) {
        if (CHANGES.isDebugEnabled()) { // the command is rendered only for the log
            CHANGES.debug("{}", Commands.addNamespace(ns.ref()));
        }
        return owned.add(ns);
    }

    /**
     * Opens the namespace /var/run/netns/NAME (borrowed: closing the handle keeps the namespace).
     *
     * <p>Equivalent to: {@code ip netns exec NAME} opening it.
     */
    public Namespace open(String name) {
        return new Namespace(backend, backend.openNamespace(new NamespaceLocator.ByName(name)), false, false);
    }

    /** Opens a namespace file such as /var/run/netns/NAME or /proc/PID/ns/net (borrowed). */
    public Namespace open(Path path) {
        return new Namespace(backend, backend.openNamespace(new NamespaceLocator.ByPath(path)), false, false);
    }

    /**
     * Opens the network namespace of a process: /proc/PID/ns/net (borrowed).
     *
     * <p>Equivalent to: {@code ip netns identify PID} / {@code nsenter -t PID -n}.
     */
    public Namespace ofPid(long pid) {
        return new Namespace(backend, backend.openNamespace(new NamespaceLocator.ByPid(pid)), false, false);
    }

    /**
     * Deletes the named namespace: lazy unmount and unlink of /var/run/netns/NAME. Its links go once
     * nothing else keeps the namespace alive.
     *
     * <p>Equivalent to: {@code ip netns del NAME}.
     */
    public void delete(String name) {
        NamespaceName.validate(name);
        backend.deleteNamespace(name);
        if (CHANGES.isDebugEnabled()) {
            CHANGES.debug("ip netns del {}", Commands.quote(name));
        }
    }

    /**
     * The names of the namespaces under /var/run/netns.
     *
     * <p>Equivalent to: {@code ip netns list}.
     */
    public List<String> list() {
        return backend.listNamespaces();
    }
}
