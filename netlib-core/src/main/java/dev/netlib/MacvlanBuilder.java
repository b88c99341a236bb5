package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanMode;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.value.InterfaceName;

/**
 * Builds a macvlan device on a parent link of this namespace; with {@link #namespace} it is born in
 * a container's namespace (the parent stays here). Bridge mode lets macvlans on one parent talk to
 * each other, as Docker's macvlan driver does.
 */
public final class MacvlanBuilder extends LinkBuilder<MacvlanBuilder> {
    private String parent;
    private MacvlanMode mode;

    MacvlanBuilder(Netlib netlib, String name) {
        super(netlib, name);
    }

    /** Equivalent to: {@code ip link add link PARENT name NAME type macvlan}. */
    public MacvlanBuilder parent(String parent) {
        this.parent = InterfaceName.validate(parent);
        return this;
    }

    /** Equivalent to: {@code ip link add ... type macvlan mode MODE}. */
    public MacvlanBuilder mode(MacvlanMode mode) {
        this.mode = Validate.notNull("macvlan mode", mode);
        return this;
    }

    @Override
    void validate() {
        if (parent == null) {
            throw new InvalidConfigException("macvlan " + name + " needs a parent link: call parent(\"eth0\")");
        }
        if (attributes.master() != null) {
            throw new InvalidConfigException("macvlan " + name + " cannot have a master at creation; it hangs off its parent " + parent);
        }
    }

    @Override
    LinkKindSpec kindSpec() {
        return new MacvlanSpec(parent, mode);
    }

    /** Creates the macvlan in one request. Equivalent to: {@code ip link add link PARENT name NAME type macvlan mode MODE}. */
    public Link create() {
        var change = change();
        KernelCalls.apply(netlib.backend(), netlib.ref(), change);
        return new Link(home(), name);
    }
}
