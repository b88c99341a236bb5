package dev.netlib.model;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;

/** A neighbour (ARP/NDP) entry: IP to MAC on a device; state PERMANENT unless told otherwise. */
public record NeighborSpec(String device, InetAddress address, MacAddress mac, NeighborState state) {}
