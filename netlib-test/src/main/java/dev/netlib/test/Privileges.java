package dev.netlib.test;

import dev.netlib.error.EffectiveCapabilities;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What this process may do to the real kernel, read from the effective capability set the kernel
 * reports ({@code CapEff} in {@code /proc/thread-self/status}): netlib's real-kernel work needs
 * {@code CAP_NET_ADMIN} (links, addresses, routes, nftables) and {@code CAP_SYS_ADMIN} (setns,
 * unshare and the bind mount of a named namespace under /var/run/netns). Being root is neither
 * necessary (a non-root JVM can be granted both) nor sufficient (a container may drop them).
 *
 * <pre>{@code
 * Assumptions.assumeTrue(Privileges.canUseRealKernel(), Privileges.reasonIfNot().orElse(""));
 * }</pre>
 */
public final class Privileges {
    private Privileges() {}

    /** The capabilities netlib needs on the real kernel, with their numbers from linux/capability.h. */
    public enum Capability {
        /** Network administration: links, addresses, routes, neighbours, nftables (bit 12). */
        CAP_NET_ADMIN(EffectiveCapabilities.CAP_NET_ADMIN),
        /** setns(2), unshare(2) and mount(2), which named namespaces are made of (bit 21). */
        CAP_SYS_ADMIN(EffectiveCapabilities.CAP_SYS_ADMIN);

        private final int bit;

        Capability(int bit) {
            this.bit = bit;
        }

        /** The capability's number in linux/capability.h. */
        public int bit() {
            return bit;
        }
    }

    /** The capabilities of {@link Capability} this thread has in its effective set; none off Linux. */
    public static Set<Capability> effective() {
        Set<Capability> have = EnumSet.noneOf(Capability.class);
        OptionalLong mask = EffectiveCapabilities.mask();
        for (Capability c : Capability.values()) {
            if (EffectiveCapabilities.holds(mask, c.bit())) {
                have.add(c);
            }
        }
        return have;
    }

    /** The capabilities netlib needs on the real kernel that this thread lacks. */
    public static Set<Capability> missing() {
        Set<Capability> missing = EnumSet.allOf(Capability.class);
        missing.removeAll(effective());
        return missing;
    }

    /** True if this process runs on Linux with both capabilities, so real-kernel tests can run. */
    public static boolean canUseRealKernel() {
        return isLinux() && missing().isEmpty();
    }

    /** Why real-kernel work is not possible here, ready for a skipped test's reason; empty when it is. */
    public static Optional<String> reasonIfNot() {
        if (!isLinux()) {
            return Optional.of("needs Linux (this is " + System.getProperty("os.name") + ")");
        }
        Set<Capability> missing = missing();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("needs CAP_NET_ADMIN and CAP_SYS_ADMIN for the real kernel; this process lacks " + missing
                + " (CapEff " + capEff()
                + "): run as root or grant them, e.g. with setcap or a container's --cap-add");
    }

    private static String capEff() {
        OptionalLong mask = EffectiveCapabilities.mask();
        return mask.isPresent() ? Long.toHexString(mask.getAsLong()) : "unreadable";
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }
}
