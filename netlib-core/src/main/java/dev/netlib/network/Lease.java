package dev.netlib.network;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One address lease as stored under {@code network/leases/NETWORK/ADDRESS}: who holds the address,
 * and which operation took it, so that until the endpoint's record exists another process can tell
 * a connect in progress (owner alive: leave it) from one whose process died (owner dead: release it).
 */
record Lease(String container, Owner owner) {
    String encode() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("container", container);
        f.put("owner", owner.encode());
        return Text.encode(f);
    }

    static Lease decode(String key, String text) {
        return Text.decoding(key, () -> {
            Map<String, String> f = Text.decode(key, text);
            return new Lease(Names.check("container", Text.require(f, key, "container")), Owner.decode(key, Text.require(f, key, "owner")));
        });
    }
}
