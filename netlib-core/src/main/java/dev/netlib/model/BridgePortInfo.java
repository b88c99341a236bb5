package dev.netlib.model;

/**
 * The bridge port flags of a link enslaved to a bridge, as the kernel reports them in a link dump
 * (IFLA_LINKINFO / IFLA_INFO_SLAVE_KIND "bridge" / IFLA_INFO_SLAVE_DATA, filled by the bridge's
 * br_port_fill_attrs()). What {@code ip -d link show} prints after {@code bridge_slave}.
 *
 * @param hairpin IFLA_BRPORT_MODE (BR_HAIRPIN_MODE): a frame may leave by the port it came in on
 * @param learning IFLA_BRPORT_LEARNING (BR_LEARNING): the bridge learns the source MACs of frames
 *     arriving on the port; on for a new port (new_nbp())
 */
public record BridgePortInfo(boolean hairpin, boolean learning) {}
