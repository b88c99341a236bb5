package dev.netlib.ipam;

import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.util.Objects;

/** One allocated address of an {@link IpPool} and the owner tag it was allocated for. */
public record Allocation(InetAddress address, String owner) {
    public Allocation {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(owner, "owner");
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + " (" + owner + ")";
    }
}
