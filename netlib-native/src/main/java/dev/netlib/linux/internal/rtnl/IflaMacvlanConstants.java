package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Macvlan attributes nested in IFLA_INFO_DATA when IFLA_INFO_KIND is {@code macvlan} ({@code IFLA_MACVLAN_*}).
 * Values generated from the kernel UAPI header {@code linux/if_link.h} (do not renumber).
 */
public final class IflaMacvlanConstants {
    private IflaMacvlanConstants() {}

    public static final int IFLA_MACVLAN_MODE = 1;
    public static final int IFLA_MACVLAN_FLAGS = 2;
    public static final int IFLA_MACVLAN_MACADDR_MODE = 3;
    public static final int IFLA_MACVLAN_MACADDR = 4;
    public static final int IFLA_MACVLAN_MACADDR_DATA = 5;
    public static final int IFLA_MACVLAN_MACADDR_COUNT = 6;
    public static final int IFLA_MACVLAN_BC_QUEUE_LEN = 7;
    public static final int IFLA_MACVLAN_BC_QUEUE_LEN_USED = 8;

    /** Kernel names of this attribute space, for error paths. */
    public static final AttributeNames NAMES = AttributeNames.of(IflaMacvlanConstants.class, "IFLA_MACVLAN_");
}
