package dev.netlib.model;

/** A dummy device: a link with no traffic of its own, handy as a placeholder or test object. */
public record DummySpec() implements LinkKindSpec {
    @Override
    public String kind() {
        return "dummy";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.dummy(this);
    }
}
