package dev.netlib;

import dev.netlib.model.FdbInfo;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.MacAddress;
import java.util.List;

/** Bridge forwarding database of one namespace. Obtained from {@link Netlib#fdb()}. */
public final class Fdb {
    private final Netlib netlib;

    Fdb(Netlib netlib) {
        this.netlib = netlib;
    }

    /** An entry for {@code mac} on {@code device} ("00:00:00:00:00:00" for a flood entry). */
    public FdbEntryBuilder entry(String device, String mac) {
        return new FdbEntryBuilder(netlib, InterfaceName.validate(device), MacAddress.parse(mac));
    }

    /** Equivalent to: {@code bridge fdb show}. */
    public List<FdbInfo> list() {
        return netlib.backend().fdb(netlib.ref());
    }

    /** Entries of one device. Equivalent to: {@code bridge fdb show dev DEVICE}. */
    public List<FdbInfo> list(String device) {
        InterfaceName.validate(device);
        return list().stream().filter(f -> device.equals(f.device())).toList();
    }
}
