package dev.netlib.model;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;

/**
 * A bridge forwarding database entry (RTM_NEWNEIGH with family AF_BRIDGE). {@code self} programs
 * the device's own table (a vxlan's MAC to VTEP map, NTF_SELF); {@code master} the table of the
 * bridge the device is enslaved to (NTF_MASTER). {@code destination} is the remote VTEP (NDA_DST).
 * The all-zero MAC with a destination is a flood entry; several of them need append.
 */
public record FdbSpec(String device, MacAddress mac, InetAddress destination, Integer vni, boolean self, boolean master,
        boolean permanent) {}
