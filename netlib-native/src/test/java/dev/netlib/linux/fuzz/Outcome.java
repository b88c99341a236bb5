package dev.netlib.linux.fuzz;

import dev.netlib.error.KernelException;
import dev.netlib.error.NotSupportedException;

/**
 * What one operation did: success, or the exception's type and errno. The kernel's words and the
 * operation text are not compared here (OperationContract pins those).
 */
record Outcome(String value) {
    static final Outcome OK = new Outcome("ok");

    static Outcome of(RuntimeException e) {
        if (e instanceof KernelException k) {
            return new Outcome(k.getClass().getSimpleName() + " " + k.errno().name());
        }
        return new Outcome(e.getClass().getSimpleName());
    }

    /** FakeKernel's documented refusal of what it does not model: the operation is then skipped on both sides. */
    static boolean unmodelled(RuntimeException e) {
        return e instanceof NotSupportedException n && n.getMessage() != null && n.getMessage().contains("FakeKernel does not model");
    }

    @Override
    public String toString() {
        return value;
    }
}
