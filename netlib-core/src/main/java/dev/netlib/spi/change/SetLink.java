package dev.netlib.spi.change;

import dev.netlib.model.LinkAttributes;
import java.util.Objects;

/**
 * RTM_NEWLINK (or RTM_SETLINK) on an existing link: state, MTU, MAC, master, group, move to
 * another namespace ({@code changes.netns()}), rename ({@code newName}), or release from its
 * master ({@code noMaster}, IFLA_MASTER 0).
 */
public record SetLink(String name, LinkAttributes changes, String newName, boolean noMaster) implements KernelChange {
    public SetLink {
        Objects.requireNonNull(name, "name");
        changes = Objects.requireNonNullElse(changes, LinkAttributes.NONE);
    }

    /** The change to {@code name}'s attributes in {@code changes}. */
    public static SetLink of(String name, LinkAttributes changes) {
        return new SetLink(name, changes, null, false);
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.setLink(this);
    }
}
