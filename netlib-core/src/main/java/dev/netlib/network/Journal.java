package dev.netlib.network;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo journal of one composite operation: each step that changed something registers how to
 * take exactly that change back (a compensation, never a restore of an older snapshot, so what other
 * processes did meanwhile stays). On failure the {@link OperationRunner} runs the undos newest first,
 * so the caller sees the exception only once the earlier steps are gone. An undo that fails is logged
 * and attached to the original exception as suppressed (reconcile() repairs what it left).
 *
 * <p>Drivers receive one and register the undo of each kernel step they take.
 */
public final class Journal {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private record Step(String description, Runnable undo) {}

    private final String operation;
    private final Deque<Step> steps = new ArrayDeque<>();
    /** False for {@link #discarding}: undos are dropped as they come. */
    private final boolean records;

    Journal(String operation) {
        this(operation, true);
    }

    private Journal(String operation, boolean records) {
        this.operation = operation;
        this.records = records;
    }

    /**
     * A journal that keeps no undo: for steps that another part of the operation puts back by
     * other means (the hosts files, which follow the records when these are undone: {@code
     * NameOps.filesFollowRecordsOnUndo}), through code that journals every step it takes.
     */
    static Journal discarding(String operation) {
        return new Journal(operation, false);
    }

    /**
     * Registers the undo of a step that has taken effect (or whose undo is harmless if it has not).
     *
     * @param description the undo in words, for logs (e.g. the command it runs)
     * @param undo        takes back exactly what the step did
     */
    public void undo(String description, Runnable undo) {
        if (records) {
            steps.push(new Step(description, undo));
        }
    }

    /**
     * Runs {@code action}, then registers its undo.
     *
     * @param description the step in words, for logs
     * @param action      the step
     * @param undo        takes back exactly what the step did
     */
    public void step(String description, Runnable action, Runnable undo) {
        action.run();
        undo(description, undo);
    }

    int size() {
        return steps.size();
    }

    /** Takes back every registered step, newest first; failures of undos become suppressed exceptions of {@code cause}. */
    void rollback(Throwable cause) {
        LOG.debug("{} failed ({}); undoing {} step(s)", operation, cause.toString(), steps.size());
        while (!steps.isEmpty()) {
            Step s = steps.pop();
            try {
                s.undo.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not undo '{}': {}; reconcile() will repair it", operation, s.description, e.toString());
                cause.addSuppressed(e);
            }
        }
    }

    /** The operation succeeded: nothing will be undone. */
    void commit() {
        steps.clear();
    }
}
