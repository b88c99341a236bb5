package dev.netlib.model;

/** RFC 2863 operational state as the kernel reports it in IFLA_OPERSTATE (if.h IF_OPER_*). */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    /** The state for an IFLA_OPERSTATE value (IF_OPER_*); unknown values map to UNKNOWN. */
    public static OperState fromKernel(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
