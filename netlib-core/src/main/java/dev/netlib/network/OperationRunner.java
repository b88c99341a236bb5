package dev.netlib.network;

import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All or nothing, written once: every composite operation runs through {@link #run}. It registers
 * the operation as running ({@link Liveness}), stores a pending note naming its owner, the key that
 * commits it and the links it will make or delete, runs the steps with a {@link Journal}, and then
 * removes the note; on a failure it runs the journal's compensations newest first and rethrows.
 * A process dying in between leaves the note for {@link Reconciler}, which acts on it only once the
 * owner is provably gone. Operations of one {@code Networks} run one at a time.
 */
final class OperationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);

    /** What an operation declares before it starts. */
    record Plan(String operation, boolean creating, String commitKey, List<KernelLink> links, List<String> removes, List<String> namespaces,
            String noteKey) {
        /** A creation (or an update of an existing record), committed by {@code commitKey}. */
        static Plan creating(String operation, String commitKey, List<KernelLink> links) {
            return new Plan(operation, true, commitKey, links, List.of(), List.of(), null);
        }

        /** A removal of {@code removes} (the first is the commit key), finished by reconcile if its owner dies. */
        static Plan removing(String operation, List<String> removes, List<KernelLink> links) {
            return removing(operation, removes, links, List.of());
        }

        /** A removal that also deletes the named namespaces (a container's). */
        static Plan removing(String operation, List<String> removes, List<KernelLink> links, List<String> namespaces) {
            return new Plan(operation, false, removes.get(0), links, removes, namespaces, null);
        }

        /**
         * The same plan with its note at {@code key} instead of a random key under {@link
         * State#PENDING}: others can then see the operation under way with one read (a network's
         * removal, which a connect checks for), and two of them cannot run at once.
         */
        Plan noteAt(String key) {
            return new Plan(operation, creating, commitKey, links, removes, namespaces, key);
        }
    }

    private final Object lock = new Object();

    /** Runs {@code body} all or nothing against {@code state}; {@code plan} null: no note (nothing a crash could strand). */
    <T> T run(State state, Plan plan, Function<Step, T> body) {
        synchronized (lock) {
            Owner owner = Liveness.begin(state.store());
            Journal j = new Journal(plan == null ? "operation" : plan.operation());
            try {
                String noteKey = null;
                long noteVersion = 0;
                if (plan != null) {
                    String note = new Pending(plan.operation(), plan.creating(), plan.commitKey(), plan.links(), plan.removes(), plan.namespaces(), owner).encode();
                    if (plan.noteKey() == null) {
                        noteKey = State.PENDING + Names.randomId().substring(0, 16);
                        noteVersion = state.create(j, noteKey, note, "pending key collision");
                    } else {
                        noteKey = plan.noteKey();
                        noteVersion = state.takeNote(j, noteKey, note, plan.operation());
                    }
                }
                T result = body.apply(new Step(j, owner));
                if (noteKey != null) {
                    endPending(state, noteKey, noteVersion);
                }
                j.commit();
                return result;
            } catch (RuntimeException e) {
                j.rollback(e);
                throw e;
            } finally {
                Liveness.end(owner);
            }
        }
    }

    /** Runs {@code body} under the lock with no note or journal (reads, and the reconciler's own repairs). */
    <T> T exclusive(java.util.function.Supplier<T> body) {
        synchronized (lock) {
            return body.get();
        }
    }

    /** The journal of the running operation and its owner (written into its leases). */
    record Step(Journal journal, Owner owner) {}

    /** The operation is through: the note goes (a failure here leaves it for reconcile, which sees the commit). */
    private static void endPending(State state, String key, long version) {
        try {
            if (!state.store().delete(key, version)) {
                state.forceDelete(key); // changed meanwhile: delete whatever is there
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the note {} of a finished operation: {}; reconcile() will", key, e.toString());
        }
    }
}
