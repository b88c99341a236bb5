package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;

/** The network drivers netlib knows, by Docker's names. */
public enum DriverKind {
    /** A Linux bridge on the host, veth pairs to the containers, NAT to the outside (Docker's default). */
    BRIDGE("bridge"),
    /** Macvlan devices on a host uplink, in bridge mode: containers sit on the LAN itself, no bridge, no NAT. */
    MACVLAN("macvlan"),
    /** VXLAN across hosts: reserved; not implemented yet. */
    OVERLAY("overlay");

    private final String word;

    DriverKind(String word) {
        this.word = word;
    }

    /** Docker's name: {@code bridge}, {@code macvlan}, {@code overlay}. */
    public String word() {
        return word;
    }

    /** The driver for a word ({@code bridge}, {@code macvlan}, ...); unknown words are an {@link dev.netlib.error.InvalidConfigException}. */
    public static DriverKind parse(String word) {
        for (DriverKind k : values()) {
            if (k.word.equals(word)) {
                return k;
            }
        }
        throw new InvalidConfigException("unknown network driver '" + word + "'; allowed: bridge, macvlan (overlay later)");
    }
}
