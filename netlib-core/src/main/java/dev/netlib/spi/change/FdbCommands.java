package dev.netlib.spi.change;

import dev.netlib.model.FdbSpec;
import dev.netlib.value.IpAddresses;

/** Renders an FDB entry as {@code bridge fdb} arguments. */
final class FdbCommands {
    private FdbCommands() {}

    static String render(String verb, FdbSpec f) {
        StringBuilder sb = new StringBuilder("bridge fdb ").append(verb).append(' ').append(f.mac())
                .append(" dev ").append(f.device());
        if (f.destination() != null) {
            sb.append(" dst ").append(IpAddresses.format(f.destination()));
        }
        if (f.vni() != null) {
            sb.append(" vni ").append(f.vni());
        }
        if (f.self()) {
            sb.append(" self");
        }
        if (f.master()) {
            sb.append(" master");
        }
        // bridge(8) alone would make a static (NUD_NOARP) entry: say which state was asked for.
        sb.append(f.permanent() ? " permanent" : " dynamic");
        return sb.toString();
    }
}
