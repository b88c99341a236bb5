package dev.netlib.model;

/**
 * The kind-specific part of a link (IFLA_LINKINFO / IFLA_INFO_DATA). Every field that is null was
 * not set by the caller and is not sent: the kernel keeps its default. When read back from the
 * kernel the same types carry what the kernel reports.
 */
public sealed interface LinkKindSpec permits BridgeSpec, VethSpec, VxlanSpec, MacvlanSpec, DummySpec {
    /** The IFLA_INFO_KIND string: "bridge", "veth", "vxlan", "macvlan", "dummy". */
    String kind();
}
