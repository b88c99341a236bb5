package dev.netlib;

import dev.netlib.model.AddressInfo;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpPrefix;
import java.util.List;

/** Interface addresses of one namespace. Obtained from {@link Netlib#addresses()}. */
public final class Addresses {
    private final Netlib netlib;

    Addresses(Netlib netlib) {
        this.netlib = netlib;
    }

    /** Equivalent to: {@code ip addr add PREFIX dev DEVICE}. */
    public void add(String device, String prefix) {
        add(device, IpPrefix.parse(prefix));
    }

    /** Equivalent to: {@code ip addr add PREFIX dev DEVICE}. */
    public void add(String device, IpPrefix prefix) {
        InterfaceName.validate(device);
        Validate.notNull("address", prefix);
        KernelCalls.apply(netlib.backend(), netlib.ref(), new AddAddress(device, prefix));
    }

    /** Equivalent to: {@code ip addr del PREFIX dev DEVICE}. */
    public void delete(String device, String prefix) {
        delete(device, IpPrefix.parse(prefix));
    }

    /** Equivalent to: {@code ip addr del PREFIX dev DEVICE}. */
    public void delete(String device, IpPrefix prefix) {
        InterfaceName.validate(device);
        Validate.notNull("address", prefix);
        KernelCalls.apply(netlib.backend(), netlib.ref(), new DeleteAddress(device, prefix));
    }

    /** All addresses of the namespace. Equivalent to: {@code ip addr show}. */
    public List<AddressInfo> list() {
        return netlib.backend().addresses(netlib.ref());
    }

    /** The addresses of one device. Equivalent to: {@code ip addr show dev DEVICE}. */
    public List<AddressInfo> list(String device) {
        InterfaceName.validate(device);
        return list().stream().filter(a -> device.equals(a.device())).toList();
    }
}
