package dev.netlib.spi.change;

import dev.netlib.model.FdbSpec;
import java.util.Objects;

/**
 * RTM_NEWNEIGH with family AF_BRIDGE. {@code append} sends NLM_F_APPEND (bridge fdb append), which
 * a vxlan needs to hold several all-zero flood entries, one per remote VTEP; {@code replace} sends
 * NLM_F_REPLACE (bridge fdb replace), which overwrites an existing entry for the MAC, learned or not,
 * instead of failing with EEXIST (what an overlay needs: moby#52661).
 */
public record AddFdb(FdbSpec entry, boolean append, boolean replace) implements KernelChange {
    /** Checks the entry and that append and replace are not both asked for. */
    public AddFdb {
        Objects.requireNonNull(entry, "entry");
        if (append && replace) {
            throw new IllegalArgumentException("an FDB add is either append or replace, not both");
        }
    }

    /** An exclusive add ({@code append} false) or an append. */
    public AddFdb(FdbSpec entry, boolean append) {
        this(entry, append, false);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.addFdb(this);
    }
}
