package dev.netlib.model;

/** Neighbour states (neighbour.h NUD_*), one bit each. */
public enum NeighborState {
    INCOMPLETE(0x01), REACHABLE(0x02), STALE(0x04), DELAY(0x08), PROBE(0x10), FAILED(0x20), NOARP(0x40), PERMANENT(0x80);

    private final int bit;

    NeighborState(int bit) {
        this.bit = bit;
    }

    /** The NUD_* bit of the state. */
    public int bit() {
        return bit;
    }

    /** The word {@code ip neigh} prints for the state. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The states whose bits are set in an NDA state field. */
    public static java.util.EnumSet<NeighborState> fromBits(int bits) {
        java.util.EnumSet<NeighborState> set = java.util.EnumSet.noneOf(NeighborState.class);
        for (NeighborState s : values()) {
            if ((bits & s.bit) != 0) {
                set.add(s);
            }
        }
        return set;
    }
}
