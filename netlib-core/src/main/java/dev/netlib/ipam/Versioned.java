package dev.netlib.ipam;

import java.util.Objects;

/**
 * A stored value with its version. Versions are positive, change on every write of a key and are
 * never reused for the same key (not even after a delete and re-create), so a compare-and-swap on a
 * version can never succeed against a value the caller did not read.
 */
public record Versioned(String value, long version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
    }
}
