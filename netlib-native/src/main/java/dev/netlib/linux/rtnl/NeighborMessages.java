package dev.netlib.linux.rtnl;

import dev.netlib.error.Errno;
import dev.netlib.error.NotSupportedException;
import dev.netlib.linux.netlink.MessageWriter;
import dev.netlib.linux.netlink.NetlinkSocket;
import dev.netlib.model.NeighborInfo;
import dev.netlib.spi.change.KernelChange;
import java.util.List;
import java.util.function.IntFunction;

/**
 * PLACEHOLDER owned by helper rtnl2, who replaces this file: encoders and decoder for neighbours
 * (SetNeighbor, DeleteNeighbor). {@link Rtnl} calls exactly these two hooks.
 */
public final class NeighborMessages {
    private NeighborMessages() {}

    /**
     * Appends the request(s) for {@code change} (SetNeighbor, DeleteNeighbor) to {@code w}. Resolve link names with
     * {@code links} BEFORE {@code w.beginMessage}. Every message carries NLM_F_ACK.
     */
    public static void encode(MessageWriter w, KernelChange change, LinkIndexResolver links) {
        throw new NotSupportedException(Errno.EOPNOTSUPP, change.command(), "not implemented yet");
    }

    /** Dumps the neighbours of the socket's namespace; {@code linkNames} names ifindexes. Equivalent to: {@code ip neigh show}. */
    public static List<NeighborInfo> dump(NetlinkSocket socket, IntFunction<String> linkNames) {
        throw new NotSupportedException(Errno.EOPNOTSUPP, "ip neigh show", "not implemented yet");
    }
}
