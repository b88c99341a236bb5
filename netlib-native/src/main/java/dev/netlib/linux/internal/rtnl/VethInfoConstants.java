package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Veth attributes nested in IFLA_INFO_DATA: VETH_INFO_PEER holds a struct ifinfomsg and the peer's own IFLA_* attributes.
 * Values generated from the kernel UAPI header {@code linux/veth.h} (do not renumber).
 */
public final class VethInfoConstants {
    private VethInfoConstants() {}

    public static final int VETH_INFO_PEER = 1;

    /** Kernel names of this attribute space, for error paths. */
    public static final AttributeNames NAMES = AttributeNames.of(VethInfoConstants.class, "VETH_INFO_");
}
