package dev.netlib.model;

import dev.netlib.value.IpPrefix;

/** An interface address (RTM_NEWADDR). */
public record AddressInfo(int index, String device, IpPrefix address, RouteScope scope) {}
