package dev.netlib.spi.change;

import dev.netlib.model.NeighborSpec;
import java.util.Objects;

/** RTM_NEWNEIGH (AF_INET/AF_INET6): NLM_F_CREATE|NLM_F_EXCL, or NLM_F_REPLACE when {@code replace}. */
public record SetNeighbor(NeighborSpec neighbor, boolean replace) implements KernelChange {
    public SetNeighbor {
        Objects.requireNonNull(neighbor, "neighbor");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.setNeighbor(this);
    }
}
