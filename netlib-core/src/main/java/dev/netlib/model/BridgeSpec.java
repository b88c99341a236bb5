package dev.netlib.model;

/** A Linux bridge (IFLA_BR_*). Null fields keep the kernel defaults. */
public record BridgeSpec(Boolean stp, Boolean vlanFiltering) implements LinkKindSpec {
    public static final BridgeSpec DEFAULT = new BridgeSpec(null, null);

    @Override
    public String kind() {
        return "bridge";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.bridge(this);
    }
}
