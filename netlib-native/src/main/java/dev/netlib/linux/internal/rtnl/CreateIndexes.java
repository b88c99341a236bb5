package dev.netlib.linux.internal.rtnl;

/**
 * The ifindexes a link creation asks the kernel for: {@code self} for the main device,
 * {@code peer} for a veth's peer (honoured by veth_newlink() only when {@code self} is set too).
 * 0 lets the kernel pick. Follow-up requests pipelined behind the create address the new links by
 * these indexes, so they fail with ENODEV when the create failed (see {@link LinkEncoder}).
 *
 * @param self the main device's ifindex, or 0
 * @param peer the veth peer's ifindex (in the peer's namespace), or 0
 */
public record CreateIndexes(int self, int peer) {
    /** No index asked for: the kernel picks both. */
    public static final CreateIndexes KERNEL_PICKS = new CreateIndexes(0, 0);

    /** Checks that the indexes are valid ifindexes (0 or positive) and that a peer index comes with a main one. */
    public CreateIndexes {
        if (self < 0 || peer < 0 || (peer != 0 && self == 0)) {
            throw new IllegalArgumentException("ifindexes " + self + "/" + peer + ": a peer index needs a main index (veth_newlink)");
        }
    }
}
