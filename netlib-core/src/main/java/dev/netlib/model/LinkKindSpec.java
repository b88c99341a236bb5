package dev.netlib.model;

/**
 * The kind-specific part of a link (IFLA_LINKINFO / IFLA_INFO_DATA). Every field that is null was
 * not set by the caller and is not sent: the kernel keeps its default. When read back from the
 * kernel the same types carry what the kernel reports.
 *
 * <p>Code that handles every kind dispatches through {@link #accept} with a {@link Visitor}, so a
 * new kind does not compile until every backend, encoder and renderer handles it.
 */
public sealed interface LinkKindSpec permits BridgeSpec, VethSpec, VxlanSpec, MacvlanSpec, DummySpec {
    /** The IFLA_INFO_KIND string: "bridge", "veth", "vxlan", "macvlan", "dummy". */
    String kind();

    /**
     * Calls the visitor's method for this spec's kind.
     *
     * @param visitor what to do for each kind
     * @param <R> what the visitor returns
     * @return the visitor's result
     */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of {@link LinkKindSpec}: the exhaustive dispatch over the sealed type.
     *
     * @param <R> what each method returns ({@link Void} for side effects only)
     */
    interface Visitor<R> {
        /** @param s the spec @return the result */
        R bridge(BridgeSpec s);

        /** @param s the spec @return the result */
        R veth(VethSpec s);

        /** @param s the spec @return the result */
        R vxlan(VxlanSpec s);

        /** @param s the spec @return the result */
        R macvlan(MacvlanSpec s);

        /** @param s the spec @return the result */
        R dummy(DummySpec s);
    }
}
