package dev.netlib.model;

/** RFC 2863 operational state as the kernel reports it in IFLA_OPERSTATE (if.h IF_OPER_*). */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    public static OperState fromKernel(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
