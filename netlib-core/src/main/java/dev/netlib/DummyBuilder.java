package dev.netlib;

import dev.netlib.model.DummySpec;
import dev.netlib.model.LinkKindSpec;

/** Builds a dummy device. Obtained from {@link Netlib#dummy(String)}. */
public final class DummyBuilder extends LinkBuilder<DummyBuilder> {
    DummyBuilder(Netlib netlib, String name) {
        super(netlib, name);
    }

    @Override
    LinkKindSpec kindSpec() {
        return new DummySpec();
    }

    /** Creates the device in one request. Equivalent to: {@code ip link add NAME type dummy}. */
    public Link create() {
        var change = change();
        KernelCalls.apply(netlib.backend(), netlib.ref(), change);
        return new Link(home(), name);
    }
}
