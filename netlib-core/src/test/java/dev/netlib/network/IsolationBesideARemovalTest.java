package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.IsolationRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new network is isolated from the bridges of the networks it reads; one of those can be removed
 * by another process right after that read. The removal deletes its record, then reads the table
 * and removes the pairs that name its bridge; a pair the creation adds after that read named a
 * bridge that was gone, and stayed (found by an in-run reconcile of the three-JVM kernel test:
 * "rule 'isolate br-A from br-B': no network or endpoint wants it"). Here process b removes nb
 * after each read of the networks process a makes while it creates na, in turn.
 */
class IsolationBesideARemovalTest {
    @TempDir
    Path tmp;

    @Test
    void aNetworkRemovedAfterACreationReadItLeavesNoIsolationPairBehind() {
        int fired = 0;
        for (int nth = 1; nth <= 20; nth++) {
            TwoWriters two = new TwoWriters(tmp.resolve("run" + nth), "nli-host");
            two.b.create("keep").subnet("10.241.0.0/24").create();
            two.b.create("nb").subnet("10.242.0.0/24").create();
            int[] reads = new int[1];
            boolean[] ran = new boolean[1];
            int at = nth;
            two.hooked.afterRead(k -> k.equals(State.NETWORKS) && ++reads[0] == at, () -> {
                two.b.remove("nb");
                ran[0] = true;
            });
            Network na = two.a.create("na").subnet("10.243.0.0/24").create();
            if (!ran[0]) {
                break; // the creation reads the networks fewer times than this: every read was tried
            }
            fired++;
            List<String> bridges = two.a.list().stream().map(n -> n.config().device()).toList();
            assertThat(isolationPairs(two)).as("pairs after b removed nb at a's read %d", nth)
                    .allSatisfy(i -> assertThat(bridges).contains(i.bridgeA(), i.bridgeB()))
                    .contains(new IsolationRule(na.config().device(), device(two, "keep")));
            assertThat(two.a.reconcile(false).findings()).as("reconcile after b removed nb at a's read %d", nth).isEmpty();
        }
        assertThat(fired).as("b's removal came after at least the creation's reads of the networks").isGreaterThanOrEqualTo(2);
    }

    private static List<IsolationRule> isolationPairs(TwoWriters two) {
        return two.host.nat().list().stream().map(NatRule::spec).filter(IsolationRule.class::isInstance).map(IsolationRule.class::cast).toList();
    }

    private static String device(TwoWriters two, String network) {
        return two.a.list().stream().filter(n -> n.name().equals(network)).findFirst().orElseThrow().config().device();
    }
}
