package dev.netlib.model;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.Set;

/** A bridge FDB entry as the kernel reports it (RTM_NEWNEIGH, AF_BRIDGE). */
public record FdbInfo(int index, String device, MacAddress mac, InetAddress destination, Integer vni, int vlan,
        int masterIndex, boolean self, boolean master, Set<NeighborState> states) {
    /** True for a static entry (NUD_PERMANENT) that never ages out. */
    public boolean isPermanent() {
        return states.contains(NeighborState.PERMANENT);
    }
}
