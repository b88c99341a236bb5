package dev.netlib.cluster;

/**
 * The outcome of a {@link Txn}.
 *
 * @param succeeded true if the compares held and the writes were applied
 * @param revision the store's revision after the call (the writes' revision when it succeeded and wrote)
 */
public record TxnResult(boolean succeeded, long revision) {}
