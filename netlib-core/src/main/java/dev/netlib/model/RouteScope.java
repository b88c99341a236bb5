package dev.netlib.model;

/** Route and address scopes (rtnetlink.h RT_SCOPE_*). */
public enum RouteScope {
    UNIVERSE(0, "global"), SITE(200, "site"), LINK(253, "link"), HOST(254, "host"), NOWHERE(255, "nowhere");

    private final int kernelValue;
    private final String word;

    RouteScope(int kernelValue, String word) {
        this.kernelValue = kernelValue;
        this.word = word;
    }

    /** The RT_SCOPE_* value. */
    public int kernelValue() {
        return kernelValue;
    }

    /** The word {@code ip route} prints for the scope. */
    public String word() {
        return word;
    }

    /** The scope for an RT_SCOPE_* value; an unknown value reads as UNIVERSE. */
    public static RouteScope fromKernel(int value) {
        for (RouteScope s : values()) {
            if (s.kernelValue == value) {
                return s;
            }
        }
        return UNIVERSE;
    }
}
