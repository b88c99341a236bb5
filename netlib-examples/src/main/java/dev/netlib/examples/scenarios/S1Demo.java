package dev.netlib.examples.scenarios;

import dev.netlib.Netlib;
import dev.netlib.error.BackendUnavailableException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.fake.FakeKernel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code demo} command: scenario S1 on the real kernel when run as root with the Linux backend,
 * otherwise (saying why) the same scenario on FakeKernel, followed by the ip/nft commands it would
 * have run.
 */
public final class S1Demo {
    private S1Demo() {}

    /** A scenario run: on a handle, with real traffic or not, with an /etc/netns root. */
    public interface Scenario {
        void run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out);
    }

    /** The demo: scenario S1 with a summary of what the connects changed. */
    public static void main(String[] args) throws IOException {
        run((root, real, etc, out) -> summary(out, S1BridgeNetworks.run(root, real, etc, out)));
    }

    /** Runs {@code scenario} on the real kernel if it can, else (saying why) on FakeKernel with its commands. */
    public static void run(Scenario scenario) throws IOException {
        PrintStream out = System.out;
        String why = null;
        Netlib root = null;
        if (!isRoot()) {
            why = "not running as root: the real demo creates network namespaces (CAP_SYS_ADMIN), bridges, veth pairs and "
                    + "nftables rules (CAP_NET_ADMIN) inside sandbox namespaces named nl*-; run it with sudo";
        } else {
            try {
                root = Netlib.open();
            } catch (BackendUnavailableException e) {
                why = "no Linux backend: " + e.getMessage();
            }
        }
        if (root != null) {
            try (Netlib r = root) {
                scenario.run(r, true, Path.of("/etc/netns"), out);
                return;
            } catch (NotSupportedException e) {
                // the sandbox was cleaned up on the way out; an unfinished Linux backend says so here
                why = "the Linux backend cannot do everything S1 needs yet: " + e.getMessage();
            }
        }
        out.println("netlib demo: " + why);
        out.println("running the same scenario on FakeKernel (in memory, no packets; reachability read from the model)\n");
        FakeKernel fake = new FakeKernel();
        Path etc = Files.createTempDirectory("netlib-demo-etc-netns");
        try (Netlib r = Netlib.open(fake)) {
            scenario.run(r, false, etc, out);
            out.println("\nthe ip/nft commands netlib sent to FakeKernel (" + fake.history().size() + "):");
            fake.history().forEach(c -> out.println("  " + c));
        } finally {
            try (Stream<Path> s = Files.walk(etc)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void summary(PrintStream out, S1BridgeNetworks.Result r) {
        out.println("\nwhat the connects changed:");
        S1BridgeNetworks.changes(r.before(), r.after()).forEach(c -> out.println("  " + c));
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
