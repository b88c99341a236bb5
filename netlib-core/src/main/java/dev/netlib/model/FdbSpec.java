package dev.netlib.model;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;

/**
 * A bridge forwarding database entry (RTM_NEWNEIGH with family AF_BRIDGE). {@code self} programs
 * the device's own table (a vxlan's MAC to VTEP map, NTF_SELF); {@code master} the table of the
 * bridge the device is enslaved to (NTF_MASTER). {@code destination} is the remote VTEP (NDA_DST).
 * The all-zero MAC with a destination is a flood entry; several of them need append. {@code vlan}
 * (NDA_VLAN, null for none) names one VLAN of a bridge's table, which is keyed by MAC and VLAN: without
 * it an add writes VLAN 0 and every VLAN of the port, and a delete removes those (br_fdb_add(),
 * br_fdb_delete()).
 */
public record FdbSpec(String device, MacAddress mac, InetAddress destination, Integer vni, boolean self, boolean master,
        State state, Integer vlan) {
    /** An entry's NUD state, by bridge(8)'s words; what each means in a bridge's table is br_fdb.c fdb_add_entry()'s. */
    public enum State {
        /** NUD_PERMANENT|NUD_NOARP ({@code permanent}): never ages; in a bridge's table a local address, delivered to the bridge itself. */
        PERMANENT,
        /** NUD_NOARP|NUD_REACHABLE ({@code static}): never ages; in a bridge's table forwarded out of the port. */
        STATIC,
        /** NUD_REACHABLE ({@code dynamic}): ages out like a learned entry. */
        DYNAMIC
    }

    /** An entry that names no VLAN. */
    public FdbSpec(String device, MacAddress mac, InetAddress destination, Integer vni, boolean self, boolean master, State state) {
        this(device, mac, destination, vni, self, master, state, null);
    }

    /** An entry that names no VLAN and is {@link State#PERMANENT} or else {@link State#DYNAMIC}. */
    public FdbSpec(String device, MacAddress mac, InetAddress destination, Integer vni, boolean self, boolean master, boolean permanent) {
        this(device, mac, destination, vni, self, master, permanent ? State.PERMANENT : State.DYNAMIC, null);
    }

    /** True for a {@link State#PERMANENT} entry. */
    public boolean permanent() {
        return state == State.PERMANENT;
    }
}
