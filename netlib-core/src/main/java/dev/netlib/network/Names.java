package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Docker's name rules for networks, containers and aliases, and its random ids. */
final class Names {
    /** Docker's validContainerNamePattern / network name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,59}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {}

    static String check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidConfigException("invalid " + what + " name '" + name + "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, "
                    + "at most 60 characters");
        }
        return name;
    }

    /** True if {@code name} follows the rule (e.g. a reference that may be a container name or a path). */
    static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** 64 random hex digits, like Docker's network and endpoint ids. */
    static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder(64);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
