package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.ipam.SubnetAllocator;
import dev.netlib.nat.NatRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of a network removal's steps, seen by another process on the same store: what the
 * removal gives back to the others comes after every step of its own that can still fail.
 */
class NetworkRemovalOrderTest {
    @TempDir
    Path tmp;

    /**
     * Once the subnet is released, another process may take it at once (its network created on the
     * same addresses); a removal that failed after that, on its rules, could not reserve the subnet
     * back for the network its rollback puts back: two networks on one subnet. So when the release
     * is written, the network's rules must already be gone (only the bridge's deletion, which
     * cannot be undone, comes after it).
     */
    @Test
    void aNetworkRemovalGivesItsSubnetBackOnlyAfterItsRulesAreGone() {
        TwoWriters two = new TwoWriters(tmp, "nlo-host");
        NetworkConfig n1 = two.a.create("n1").subnet("10.211.0.0/24").create().config();
        assertThat(rulesOf(two, n1)).as("a bridge network has rules (its masquerade)").isNotEmpty();
        List<List<NatRule>> atRelease = new ArrayList<>();
        two.hooked.beforeWrite(SubnetAllocator.KEY::equals, () -> atRelease.add(rulesOf(two, n1)));
        two.a.remove("n1");
        assertThat(atRelease).as("the rules of n1 when its subnet was released").containsExactly(List.of());
        assertThat(two.b.create("n2").subnet("10.211.0.0/24").create().config().subnet()).hasToString("10.211.0.0/24");
        assertThat(two.b.reconcile(false).findings()).isEmpty();
    }

    private static List<NatRule> rulesOf(TwoWriters two, NetworkConfig n) {
        return Firewall.rulesOf(two.host.nat().list(), n);
    }
}
