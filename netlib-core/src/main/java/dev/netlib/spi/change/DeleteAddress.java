package dev.netlib.spi.change;

import dev.netlib.value.IpPrefix;
import java.util.Objects;

/** RTM_DELADDR. */
public record DeleteAddress(String device, IpPrefix address) implements KernelChange {
    public DeleteAddress {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteAddress(this);
    }
}
