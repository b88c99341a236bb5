package dev.netlib.spi.change;

import dev.netlib.value.IpPrefix;
import java.util.Objects;

/** RTM_NEWADDR: an interface address such as 192.168.10.11/24 on a device. */
public record AddAddress(String device, IpPrefix address) implements KernelChange {
    public AddAddress {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.addAddress(this);
    }
}
