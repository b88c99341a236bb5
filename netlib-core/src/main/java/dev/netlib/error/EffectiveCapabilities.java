package dev.netlib.error;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The calling thread's effective capability set as the kernel reports it ({@code CapEff} in
 * {@code /proc/thread-self/status}, else {@code /proc/self/status}). Errors use it to say whether
 * an EPERM can be about privileges at all; netlib-test's {@code Privileges} builds on it.
 */
public final class EffectiveCapabilities {
    /** CAP_NET_ADMIN in linux/capability.h: links, addresses, routes, neighbours, nf_tables. */
    public static final int CAP_NET_ADMIN = 12;
    /** CAP_SYS_ADMIN in linux/capability.h: setns, unshare and the mounts of named namespaces. */
    public static final int CAP_SYS_ADMIN = 21;

    private EffectiveCapabilities() {}

    /**
     * The CapEff mask, read now; empty off Linux or without /proc. /proc/thread-self comes first:
     * capabilities can differ between the threads of a process.
     *
     * @return the mask, bit N set for capability N
     */
    public static OptionalLong mask() {
        for (String file : List.of("/proc/thread-self/status", "/proc/self/status")) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    if (line.startsWith("CapEff:")) {
                        return OptionalLong.of(Long.parseUnsignedLong(line.substring(7).trim(), 16));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or /proc not mounted: try the next file, then report nothing
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Whether the mask is known and holds every capability in {@code bits}.
     *
     * @param mask a CapEff mask, or empty when unknown
     * @param bits capability numbers from linux/capability.h
     * @return false when the mask is unknown
     */
    public static boolean holds(OptionalLong mask, int... bits) {
        if (mask.isEmpty()) {
            return false;
        }
        for (int bit : bits) {
            if ((mask.getAsLong() & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }
}
