package dev.netlib.model;

import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.Set;

/** A neighbour entry as the kernel reports it (RTM_NEWNEIGH, AF_INET/AF_INET6); mac null while incomplete. */
public record NeighborInfo(int index, String device, InetAddress address, MacAddress mac, Set<NeighborState> states) {}
