package dev.netlib.model;

/** A macvlan on a parent link (IFLA_LINK), in a mode (IFLA_MACVLAN_MODE). */
public record MacvlanSpec(String parent, MacvlanMode mode) implements LinkKindSpec {
    @Override
    public String kind() {
        return "macvlan";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.macvlan(this);
    }
}
