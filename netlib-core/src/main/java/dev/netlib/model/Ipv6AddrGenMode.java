package dev.netlib.model;

/**
 * IPv6 link-local address generation (if_link.h IN6_ADDR_GEN_MODE_*). NONE keeps a link quiet:
 * no link-local address, so no DAD, router solicitation or MLD traffic flooded over a bridge.
 */
public enum Ipv6AddrGenMode {
    EUI64(0, "eui64"), NONE(1, "none"), STABLE_PRIVACY(2, "stable_secret"), RANDOM(3, "random");

    private final int kernelValue;
    private final String word;

    Ipv6AddrGenMode(int kernelValue, String word) {
        this.kernelValue = kernelValue;
        this.word = word;
    }

    /** The IFLA_INET6_ADDR_GEN_MODE value (IN6_ADDR_GEN_MODE_*). */
    public int kernelValue() {
        return kernelValue;
    }

    /** The word {@code ip link set ... addrgenmode} takes. */
    public String word() {
        return word;
    }

    /** The mode for a kernel value; an unknown value reads as EUI64, the kernel's default. */
    public static Ipv6AddrGenMode fromKernel(int value) {
        for (Ipv6AddrGenMode m : values()) {
            if (m.kernelValue == value) {
                return m;
            }
        }
        return EUI64;
    }
}
