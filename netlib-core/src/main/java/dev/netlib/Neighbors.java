package dev.netlib;

import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborSpec;
import dev.netlib.model.NeighborState;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.SetNeighbor;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.MacAddress;
import java.util.List;

/** Neighbour (ARP/NDP) entries of one namespace. Obtained from {@link Netlib#neighbors()}. */
public final class Neighbors {
    private final Netlib netlib;

    Neighbors(Netlib netlib) {
        this.netlib = netlib;
    }

    private NeighborSpec spec(String device, String address, String mac) {
        return new NeighborSpec(InterfaceName.validate(device), IpAddresses.parse(address), MacAddress.parse(mac), NeighborState.PERMANENT);
    }

    /** A permanent entry; fails if one exists. Equivalent to: {@code ip neigh add ADDRESS lladdr MAC dev DEVICE nud permanent}. */
    public void add(String device, String address, String mac) {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new SetNeighbor(spec(device, address, mac), false));
    }

    /** Adds or replaces a permanent entry. Equivalent to: {@code ip neigh replace ADDRESS lladdr MAC dev DEVICE nud permanent}. */
    public void replace(String device, String address, String mac) {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new SetNeighbor(spec(device, address, mac), true));
    }

    /** Equivalent to: {@code ip neigh del ADDRESS dev DEVICE}. */
    public void delete(String device, String address) {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new DeleteNeighbor(InterfaceName.validate(device), IpAddresses.parse(address)));
    }

    /** Equivalent to: {@code ip neigh show}. */
    public List<NeighborInfo> list() {
        return netlib.backend().neighbors(netlib.ref());
    }
}
