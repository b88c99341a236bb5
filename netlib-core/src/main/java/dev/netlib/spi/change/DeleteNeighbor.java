package dev.netlib.spi.change;

import java.net.InetAddress;
import java.util.Objects;

/** RTM_DELNEIGH. */
public record DeleteNeighbor(String device, InetAddress address) implements KernelChange {
    public DeleteNeighbor {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteNeighbor(this);
    }
}
