package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;

/** Validation of pool names and owner tags, which go into store keys and the line format. */
final class Names {
    private Names() {}

    /** Pool names become part of a store key: 1..64 of {@code [A-Za-z0-9_.-]}, not starting with '.'. */
    static String checkPoolName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || name.startsWith(".")
                || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '_' || c == '.' || c == '-')) {
            throw new InvalidConfigException("pool name " + (name == null ? "null" : "'" + name + "'")
                    + " is invalid: use 1..64 characters of A-Z a-z 0-9 _ . - not starting with '.'");
        }
        return name;
    }

    /** Owner tags (container or endpoint ids) and aux-address names: 1..256 printable characters, no spaces. */
    static String checkTag(String what, String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 256 || !tag.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            throw new InvalidConfigException(what + " " + (tag == null ? "null" : "'" + tag + "'")
                    + " is invalid: use 1..256 printable characters without spaces (a container or endpoint id)");
        }
        return tag;
    }
}
