package dev.netlib.spi.change;

import dev.netlib.model.FdbSpec;
import java.util.Objects;

/**
 * RTM_NEWNEIGH with family AF_BRIDGE. {@code append} sends NLM_F_APPEND (bridge fdb append), which
 * a vxlan needs to hold several all-zero flood entries, one per remote VTEP.
 */
public record AddFdb(FdbSpec entry, boolean append) implements KernelChange {
    public AddFdb {
        Objects.requireNonNull(entry, "entry");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.addFdb(this);
    }
}
