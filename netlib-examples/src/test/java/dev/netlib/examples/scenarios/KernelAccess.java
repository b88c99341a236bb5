package dev.netlib.examples.scenarios;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.Netlib;
import dev.netlib.error.BackendUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the real kernel for a scenario test, or skips the test saying why. */
final class KernelAccess {
    private KernelAccess() {}

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (Exception e) {
            return false;
        }
    }

    static Netlib openOrSkip(String test) {
        if (!isRoot()) {
            String why = test + " skipped: not root (the scenario creates namespaces, bridges and nftables rules)";
            System.out.println(why);
            assumeTrue(false, why);
        }
        try {
            return Netlib.open();
        } catch (BackendUnavailableException e) {
            String why = test + " skipped: no Linux backend: " + e.getMessage();
            System.out.println(why);
            assumeTrue(false, why);
            throw e;
        }
    }
}
