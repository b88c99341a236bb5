package dev.netlib.linux.fuzz;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.util.function.IntFunction;

/**
 * One backend under the fuzzer: its root handle and the fuzzer's namespaces on it, by slot: A and
 * B (0 and 1) live for the whole run; C (2, named) and D (3, anonymous) come and go with the
 * namespace operations. Every change happens in these namespaces only; {@link #close()} deletes
 * or releases every one of them, whatever state a failed run left them in.
 *
 * <p>A slot's namespace is reached through its primary handle while that is open, else through
 * the second handle {@link #hold} opened on C (which keeps C alive after {@code ip netns del}). A
 * request for a slot without a live namespace, or a namespace operation that does not fit the
 * slot's state, throws the same {@link IllegalStateException} on both sides, so a shrunk sequence
 * that lost the operation making a namespace still compares.
 */
final class Side implements AutoCloseable {
    static final int A = 0;
    static final int B = 1;
    /** The named namespace that the sequence adds and deletes, and may hold open. */
    static final int C = 2;
    /** The anonymous namespace that the sequence makes and releases. */
    static final int D = 3;
    static final int SLOTS = 4;

    private final String backend;
    private final Netlib root;
    /** The name a new namespace of the slot gets, given a count that grows with every one made. */
    private final IntFunction<String> names;
    /** Waits for the kernel's cleanup_net; null on FakeKernel, whose namespaces die at once. */
    private final DeathWatch deaths;
    private final Namespace[] primary = new Namespace[SLOTS];
    private final Namespace[] held = new Namespace[SLOTS];
    private int made;

    /** Opens the side with A and B made; anything made is given back if that fails half-way. */
    Side(String backend, Netlib root, IntFunction<String> names, DeathWatch deaths) {
        this.backend = backend;
        this.root = root;
        this.names = names;
        this.deaths = deaths;
        try {
            primary[A] = root.namespaces().create(names.apply(made++));
            primary[B] = root.namespaces().create(names.apply(made++));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    String backend() {
        return backend;
    }

    Netlib root() {
        return root;
    }

    Netlib in(int ns) {
        return root.in(namespace(ns));
    }

    /** The handle requests for the slot go through. */
    Namespace namespace(int ns) {
        if (open(primary[ns])) {
            return primary[ns];
        }
        if (open(held[ns])) {
            return held[ns];
        }
        throw new IllegalStateException("no namespace " + FuzzOp.n(ns));
    }

    /** Whether the slot's namespace is alive: some handle of the fuzzer's still holds it. */
    boolean alive(int ns) {
        return open(primary[ns]) || open(held[ns]);
    }

    private static boolean open(Namespace n) {
        return n != null && !n.isClosed();
    }

    /**
     * A new namespace in slot C (named) or D (anonymous; {@code detach}ed, its close is a release
     * of netlib's descriptor, else a delete of an owned anonymous namespace).
     */
    void add(int ns, boolean detach) {
        if (ns < C || alive(ns)) {
            throw new IllegalStateException("namespace " + FuzzOp.n(ns) + " exists");
        }
        held[ns] = null;
        if (ns == C) {
            primary[ns] = root.namespaces().create(names.apply(made++));
        } else {
            Namespace anonymous = root.namespaces().createAnonymous();
            primary[ns] = detach ? anonymous.detach() : anonymous;
        }
    }

    /** {@code ip netns del C}, or the close of D's handle: the namespace dies unless C is held. */
    void delete(int ns) {
        if (ns < C || !open(primary[ns])) {
            throw new IllegalStateException("no namespace " + FuzzOp.n(ns) + " to delete");
        }
        Namespace n = primary[ns];
        dropping(ns, open(held[ns]), () -> {
            if (ns == C) {
                n.delete();
            } else {
                n.close();
            }
        });
    }

    /** Opens a second handle on C by its name ({@code exec 7</var/run/netns/C}), or closes it. */
    void hold(int ns, boolean hold) {
        if (ns != C || hold == open(held[ns]) || hold && !open(primary[ns])) {
            throw new IllegalStateException("namespace " + FuzzOp.n(ns) + (hold ? " cannot be held" : " is not held"));
        }
        if (hold) {
            held[ns] = root.namespaces().open(primary[ns].name().orElseThrow());
        } else {
            Namespace h = held[ns];
            dropping(ns, open(primary[ns]), h::close);
        }
    }

    /**
     * Runs {@code drop}, which gives back one reference to the slot's namespace; when it was the
     * last ({@code othersHold} false), waits until the kernel has destroyed the namespace.
     */
    private void dropping(int ns, boolean othersHold, Runnable drop) {
        if (othersHold || deaths == null) {
            drop.run();
            return;
        }
        DeathWatch.Canary canary = deaths.plant(in(ns));
        drop.run();
        deaths.await(canary, FuzzOp.n(ns));
    }

    /** Deletes or releases every namespace of the side; the first failure is rethrown once all were tried. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (int ns = SLOTS - 1; ns >= 0; ns--) {
            for (Namespace n : new Namespace[] {held[ns], primary[ns]}) {
                try {
                    if (n != null) {
                        n.close();
                    }
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
