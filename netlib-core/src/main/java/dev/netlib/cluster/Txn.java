package dev.netlib.cluster;

import java.util.List;

/**
 * An all-or-nothing write: if every {@link Compare} holds, every {@link Op} is applied at one new
 * revision; otherwise nothing is written. etcd's {@code Txn(If(...).Then(...))} without an Else.
 *
 * @param compares the conditions, all of which must hold
 * @param ops the writes, applied in order at one revision
 */
public record Txn(List<Compare> compares, List<Op> ops) {
    /** Copies the lists. */
    public Txn {
        compares = List.copyOf(compares);
        ops = List.copyOf(ops);
    }

    /** A transaction whose writes happen only if {@code compares} all hold; add writes with {@link When#then}. */
    public static When when(Compare... compares) {
        return new When(List.of(compares));
    }

    /** The first half of a transaction: its conditions. */
    public static final class When {
        private final List<Compare> compares;

        private When(List<Compare> compares) {
            this.compares = compares;
        }

        /** The writes. */
        public Txn then(Op... ops) {
            return new Txn(compares, List.of(ops));
        }

        /** The writes. */
        public Txn then(List<Op> ops) {
            return new Txn(compares, ops);
        }
    }
}
