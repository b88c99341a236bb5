package dev.netlib;

import dev.netlib.model.BridgeSpec;
import dev.netlib.model.LinkKindSpec;

/** Builds a Linux bridge. Obtained from {@link Netlib#bridge(String)}. */
public final class BridgeBuilder extends LinkBuilder<BridgeBuilder> {
    private Boolean stp;
    private Boolean vlanFiltering;

    BridgeBuilder(Netlib netlib, String name) {
        super(netlib, name);
    }

    /** Spanning tree on or off. Equivalent to: {@code ip link add NAME type bridge stp_state 0|1}. */
    public BridgeBuilder stp(boolean enabled) {
        this.stp = enabled;
        return this;
    }

    /** VLAN filtering on or off. Equivalent to: {@code ip link add NAME type bridge vlan_filtering 0|1}. */
    public BridgeBuilder vlanFiltering(boolean enabled) {
        this.vlanFiltering = enabled;
        return this;
    }

    @Override
    LinkKindSpec kindSpec() {
        return new BridgeSpec(stp, vlanFiltering);
    }

    /** Creates the bridge in one request. Equivalent to: {@code ip link add NAME type bridge ...}. */
    public Link create() {
        var change = change();
        KernelCalls.apply(netlib.backend(), netlib.ref(), change);
        return new Link(home(), name);
    }
}
