package dev.netlib.spi.change;

import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkKindSpec;
import java.util.Objects;

/** RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL: a new link with its attributes, in one request. */
public record CreateLink(String name, LinkAttributes attributes, LinkKindSpec kind) implements KernelChange {
    public CreateLink {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        attributes = Objects.requireNonNullElse(attributes, LinkAttributes.NONE);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.createLink(this);
    }
}
