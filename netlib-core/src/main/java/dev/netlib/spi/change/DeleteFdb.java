package dev.netlib.spi.change;

import dev.netlib.model.FdbSpec;
import java.util.Objects;

/** RTM_DELNEIGH with family AF_BRIDGE. */
public record DeleteFdb(FdbSpec entry) implements KernelChange {
    public DeleteFdb {
        Objects.requireNonNull(entry, "entry");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteFdb(this);
    }
}
