package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.value.IpAddresses;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reconcile() and other processes' work in flight: a connect half-way through in another process
 * (its note, its lease, its veth on the bridge; no record yet) is left alone while that process
 * lives, and rolled back once it is gone. The other process is a real one (a child {@code sleep}),
 * so the proof is the one used across processes: pid and start time in /proc.
 */
class LivenessTest {
    @TempDir
    Path tmp;

    @Test
    void reconcileLeavesALiveProcesssWorkAloneAndRollsItBackWhenTheProcessIsGone() throws Exception {
        World w = new World(tmp);
        Network net = w.networks.create("my_net1").create();
        Namespace box = w.box("box7");
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            long ticks = Liveness.startTicks(other.pid());
            assertThat(ticks).isPositive();
            Owner owner = new Owner(Liveness.BOOT, other.pid(), ticks, 1);
            // what the other process's connect has done so far: note, lease, veth on the bridge
            w.store.compareAndSet(State.PENDING + "0123456789abcdef", 0, new Pending("connect box7 to my_net1", true,
                    State.endpointKey("my_net1", "box7"), List.of(KernelLink.onHost("vethabcdef0")), List.of(), List.of(), owner).encode());
            w.store.compareAndSet(State.leaseKey("my_net1", IpAddresses.parse("172.18.0.9")), 0, new Lease("box7", owner).encode());
            w.host.veth("vethabcdef0").master(net.config().device()).peer("eth0", p -> p.namespace(box)).create();
            String before = w.state();

            assertThat(Liveness.alive(owner, false)).isTrue();
            ReconcileReport live = w.open().reconcile(true);
            assertThat(live.findings()).as("another process's work in flight").isEmpty();
            assertThat(w.state()).isEqualTo(before);

            other.destroyForcibly();
            assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Liveness.alive(owner, false)).isFalse();
            ReconcileReport dead = w.open().reconcile(true);
            assertThat(dead.findings()).extracting(ReconcileReport.Finding::toString)
                    .anyMatch(f -> f.contains("rolling it back")).anyMatch(f -> f.contains("172.18.0.9"));
            assertThat(w.host.findLink("vethabcdef0")).isEmpty();
            assertThat(w.store.contents().keySet()).noneMatch(k -> k.startsWith(State.PENDING) || k.startsWith(State.LEASES));
            assertThat(w.open().reconcile(false).isClean()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void anOperationOfThisProcessIsAliveWhileItRunsAndDeadOnceItEnded() {
        Owner o = Liveness.begin();
        assertThat(Liveness.alive(o, false)).isTrue();
        Liveness.end(o);
        assertThat(Liveness.alive(o, false)).isFalse();
        Owner rebooted = new Owner("00000000-0000-0000-0000-000000000000", o.pid(), o.start(), 7);
        assertThat(Liveness.alive(rebooted, false)).as("another boot on a store of this host: gone").isFalse();
        assertThat(Liveness.alive(rebooted, true)).as("maybe another host on a shared store: assumed alive").isTrue();
    }
}
