package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Attributes of RTM_NEWNSID/RTM_GETNSID ({@code NETNSA_*}); carried after a struct rtgenmsg padded to 4 bytes.
 * Values generated from the kernel UAPI header {@code linux/net_namespace.h} (do not renumber).
 */
public final class NetnsaConstants {
    private NetnsaConstants() {}

    public static final int NETNSA_NSID = 1;
    public static final int NETNSA_PID = 2;
    public static final int NETNSA_FD = 3;
    public static final int NETNSA_TARGET_NSID = 4;
    public static final int NETNSA_CURRENT_NSID = 5;

    /** Kernel names of this attribute space, for error paths. */
    public static final AttributeNames NAMES = AttributeNames.of(NetnsaConstants.class, "NETNSA_");
}
