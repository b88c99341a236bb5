package dev.netlib.spi.nft;

import dev.netlib.error.InvalidConfigException;
import java.util.Locale;

/** The layer-4 protocols a port can be published for, with their IANA numbers (what {@code meta l4proto} compares). */
public enum Protocol {
    TCP(6),
    UDP(17);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** IPPROTO_TCP (6) or IPPROTO_UDP (17). */
    public int number() {
        return number;
    }

    /** The word nft uses: {@code tcp}, {@code udp}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code tcp} or {@code udp} (any case); anything else is an {@link InvalidConfigException}. */
    public static Protocol parse(String text) {
        if (text != null) {
            for (Protocol p : values()) {
                if (p.word().equalsIgnoreCase(text.trim())) {
                    return p;
                }
            }
        }
        throw new InvalidConfigException("unknown protocol '" + text + "'; allowed: tcp, udp");
    }
}
