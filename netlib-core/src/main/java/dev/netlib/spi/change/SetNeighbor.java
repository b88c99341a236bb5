package dev.netlib.spi.change;

import dev.netlib.model.NeighborSpec;
import dev.netlib.value.IpAddresses;
import java.util.Objects;

/** RTM_NEWNEIGH (AF_INET/AF_INET6): NLM_F_CREATE|NLM_F_EXCL, or NLM_F_REPLACE when {@code replace}. */
public record SetNeighbor(NeighborSpec neighbor, boolean replace) implements KernelChange {
    public SetNeighbor {
        Objects.requireNonNull(neighbor, "neighbor");
    }

    @Override
    public String command() {
        StringBuilder sb = new StringBuilder("ip neigh ").append(replace ? "replace " : "add ")
                .append(IpAddresses.format(neighbor.address()));
        if (neighbor.mac() != null) {
            sb.append(" lladdr ").append(neighbor.mac());
        }
        sb.append(" dev ").append(neighbor.device());
        sb.append(" nud ").append(neighbor.state() == null ? "permanent" : neighbor.state().word());
        return sb.toString();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.setNeighbor(this);
    }
}
