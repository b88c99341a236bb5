package dev.netlib.spi.change;

import java.util.Objects;

/** RTM_DELLINK by name. Deleting one end of a veth deletes its peer, wherever it lives. */
public record DeleteLink(String name) implements KernelChange {
    public DeleteLink {
        Objects.requireNonNull(name, "name");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteLink(this);
    }
}
