package dev.netlib.model;

import java.util.Objects;

/**
 * A veth pair. {@code peer} carries the peer's own attributes, including the namespace it is born
 * in (VETH_INFO_PEER with IFLA_NET_NS_FD): creating the peer where it will live, with its final
 * name, is far cheaper than moving it later (a move costs an rcu_barrier under RTNL).
 * When read back from the kernel {@code peerName} may be null (the peer lives elsewhere).
 */
public record VethSpec(String peerName, LinkAttributes peer) implements LinkKindSpec {
    public VethSpec {
        peer = Objects.requireNonNullElse(peer, LinkAttributes.NONE);
    }

    @Override
    public String kind() {
        return "veth";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.veth(this);
    }
}
