package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Bridge port attributes ({@code IFLA_BRPORT_*}, enum in the kernel UAPI header
 * {@code linux/if_link.h}), nested in IFLA_INFO_SLAVE_DATA of a link whose master is a bridge, or
 * in IFLA_PROTINFO of an AF_BRIDGE RTM_SETLINK. Only those netlib sends or reads (do not renumber).
 */
public final class IflaBrportConstants {
    private IflaBrportConstants() {}

    /** u8 port state. */
    public static final int IFLA_BRPORT_STATE = 1;
    /** u16 priority. */
    public static final int IFLA_BRPORT_PRIORITY = 2;
    /** u32 path cost. */
    public static final int IFLA_BRPORT_COST = 3;
    /** u8 hairpin mode (BR_HAIRPIN_MODE): a frame may leave by the port it came in on. */
    public static final int IFLA_BRPORT_MODE = 4;
    /** u8 learning (BR_LEARNING): the bridge learns the source MACs of frames arriving on the port. */
    public static final int IFLA_BRPORT_LEARNING = 8;

    /** Kernel names of this attribute space, for error paths. */
    public static final AttributeNames NAMES = AttributeNames.of(IflaBrportConstants.class, "IFLA_BRPORT_");
}
