package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A process halted before each store write of every composite operation in turn (an Error: no
 * journal runs, as with kill -9), then another process's {@code reconcile(true)}: store, kernel, nft
 * rules and hosts files must be exactly as if the operation had never started, or as if it had
 * completed, with nothing left over.
 */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.netlib.network.AllOrNothingTest#operations")
    void aHaltBeforeEveryStoreWriteIsRolledBackOrFinishedByReconcile(AllOrNothingTest.Op op) {
        World done = new World(tmp.resolve("done"));
        op.prep().accept(done);
        op.op().accept(done);
        done.open().reconcile(true); // the steady state (e.g. a container's veths, kept by the test's open handle, go)
        String completed = Shape.of(done);
        int halted = 0;
        int rolledBack = 0;
        for (int k = 1; ; k++) {
            World w = new World(tmp.resolve("halt-" + k));
            op.prep().accept(w);
            String before = Shape.of(w);
            w.store.failNthWrite(k, NetworksTest.Crash::new);
            try {
                op.op().accept(w);
                break; // the operation needed fewer than k writes: each one has been halted once
            } catch (NetworksTest.Crash expected) {
                halted++;
            }
            Networks restarted = w.open(); // another process: the halted one's operation is not running
            restarted.reconcile(true);
            assertThat(restarted.reconcile(false).findings()).as("residue after a halt before write %d of '%s'", k, op.name()).isEmpty();
            String after = Shape.of(w);
            if (after.equals(before)) {
                rolledBack++;
            } else if (!after.equals(completed)) {
                System.out.println("BEFORE-DIFF " + k + " " + op.name() + "\n" + diff(before, after));
                assertThat(after).as("after a halt before write %d of '%s': neither as before nor as completed", k, op.name()).isEqualTo(completed);
            }
        }
        System.out.println("crash recovery: '" + op.name() + "' halted before each of its " + halted + " store writes, "
                + rolledBack + " rolled back, " + (halted - rolledBack) + " finished");
        assertThat(halted).isPositive();
    }

    private static String diff(String a, String b) {
        java.util.List<String> x = java.util.Arrays.asList(a.split("\n"));
        java.util.List<String> y = java.util.Arrays.asList(b.split("\n"));
        StringBuilder sb = new StringBuilder();
        x.stream().filter(l -> !y.contains(l)).forEach(l -> sb.append("- ").append(l).append('\n'));
        y.stream().filter(l -> !x.contains(l)).forEach(l -> sb.append("+ ").append(l).append('\n'));
        return sb.toString();
    }
}
