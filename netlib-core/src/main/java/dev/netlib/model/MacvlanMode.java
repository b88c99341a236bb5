package dev.netlib.model;

/** Macvlan modes (if_link.h MACVLAN_MODE_*), with the kernel's flag value and ip's word. */
public enum MacvlanMode {
    PRIVATE(1, "private"), VEPA(2, "vepa"), BRIDGE(4, "bridge"), PASSTHRU(8, "passthru"), SOURCE(16, "source");

    private final int kernelValue;
    private final String word;

    MacvlanMode(int kernelValue, String word) {
        this.kernelValue = kernelValue;
        this.word = word;
    }

    /** The IFLA_MACVLAN_MODE value (MACVLAN_MODE_*). */
    public int kernelValue() {
        return kernelValue;
    }

    /** The word {@code ip link ... type macvlan mode WORD} uses. */
    public String word() {
        return word;
    }

    /** The mode for a kernel value; an unknown value is an {@link IllegalArgumentException}. */
    public static MacvlanMode fromKernel(int value) {
        for (MacvlanMode m : values()) {
            if (m.kernelValue == value) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown macvlan mode " + value);
    }
}
