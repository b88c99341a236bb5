package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.model.RouteInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations on one container by two processes (two {@link Networks} on their own store objects
 * over one store directory), deterministic: one operation is held, or fails, at an exact point
 * while the other works. Mostly the container's lock ({@link StoreLock}).
 */
class StoreLockTest {
    @TempDir
    Path tmp;

    private Netlib root;
    private HookedStore hooked;
    private Networks a;
    private Networks b;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeEach
    void setUp() {
        TwoWriters two = new TwoWriters(tmp, "nlk-host");
        root = two.root;
        hooked = two.hooked;
        a = two.a;
        b = two.b;
        a.create("n0").subnet("10.210.0.0/24").create();
        a.create("n1").subnet("10.211.0.0/24").create();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private Namespace box(String name) {
        Namespace ns = root.namespaces().create(name);
        root.in(ns).link("lo").up();
        return ns;
    }

    /**
     * c is on n0, which carries its default route. Process a connects c to n1 and is held just
     * before its endpoint's record; process b disconnects c from n0 meanwhile. Without the lock
     * the disconnect found no other endpoint to hand the route to, and the connect had planned no
     * route (n0 carried it): c was left without a default route. With it, the disconnect waits for
     * the connect and hands the route to n1.
     */
    @Test
    void aDisconnectBesideAConnectOfTheSameContainerWaitsAndHandsTheRouteOver() throws Exception {
        Namespace c = box("c");
        b.connect("n0", c);
        Pause held = new Pause();
        hooked.beforeWrite(State.endpointKey("n1", "c")::equals, held::hold);
        Future<?> connect = pool.submit(() -> a.connect("n1", c));
        held.awaitReached();
        Future<?> disconnect = pool.submit(() -> {
            b.disconnect("n0", "c");
            return null;
        });
        Thread.sleep(300);
        assertThat(disconnect).as("the disconnect waits for the connect of the same container").isNotDone();
        held.release();
        connect.get(10, TimeUnit.SECONDS);
        disconnect.get(10, TimeUnit.SECONDS);
        List<RouteInfo> defaults = root.in(c).routes().defaults();
        assertThat(defaults).extracting(r -> r.gateway().getHostAddress()).containsExactly("10.211.0.1");
        assertThat(a.findEndpoint("n1", "c").orElseThrow().config().defaultRoute()).isTrue();
        assertThat(a.reconcile(false).findings()).isEmpty();
    }

    /** Two connects of one container to two networks at once: the second waits, and takes eth1. */
    @Test
    void twoConnectsOfOneContainerAtOnceTakeTwoInterfaceNames() throws Exception {
        Namespace c = box("c");
        Pause held = new Pause();
        hooked.beforeWrite(State.endpointKey("n0", "c")::equals, held::hold);
        Future<Endpoint> first = pool.submit(() -> a.connect("n0", c));
        held.awaitReached(); // its veth (eth0) is made
        Future<Endpoint> second = pool.submit(() -> b.connect("n1", c));
        Thread.sleep(300);
        assertThat(second).isNotDone();
        held.release();
        assertThat(first.get(10, TimeUnit.SECONDS).interfaceName()).isEqualTo("eth0");
        assertThat(second.get(10, TimeUnit.SECONDS).interfaceName()).isEqualTo("eth1");
        assertThat(root.in(c).routes().defaults()).hasSize(1);
        assertThat(a.reconcile(false).findings()).isEmpty();
    }

    /**
     * A disconnect of c that fails after it freed nothing yet: process b publishes c's host port for
     * another container at the moment a's disconnect marks the default route's new carrier, and the
     * disconnect then fails. Had the disconnect given the port back before that step, b would have
     * taken it, and the rollback could not have put c's rule back: c's record with a port and no
     * rule. Ports are given back last.
     */
    @Test
    void aDisconnectThatFailsHasGivenBackNoPortAnotherProcessCouldTake() {
        Namespace c = box("c");
        Namespace d = box("d");
        a.endpoint("n0", c).publish("18080:80").connect(); // c's default route goes through n0
        a.connect("n1", c);
        a.connect("n1", d);
        hooked.beforeWrite(State.endpointKey("n1", "c")::equals, () -> {
            try {
                b.findEndpoint("n1", "d").orElseThrow().publish("18080:80");
            } catch (dev.netlib.error.InvalidConfigException stillCs) {
                // the port is still c's: the disconnect has not given it back
            }
            throw new IllegalStateException("injected failure");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.disconnect("n0", "c")).hasMessageContaining("injected");
        assertThat(a.findEndpoint("n0", "c").orElseThrow().ports()).containsExactly("18080:80");
        assertThat(a.findEndpoint("n1", "d").orElseThrow().ports()).isEmpty();
        assertThat(a.reconcile(false).findings()).isEmpty();
    }

    /** A lock left by an owner that is gone (a process killed while it held it) is taken over, and reported by reconcile. */
    @Test
    void aLockWhoseOwnerIsGoneIsTakenOverAndReported() {
        Namespace c = box("c");
        hooked.compareAndSet(StoreLock.container("c"), 0, Liveness.finished().encode());
        assertThat(b.reconcile(false).findings()).extracting(Object::toString)
                .containsExactly("lock network/busy/containers/c: held by " + owner(StoreLock.container("c")) + ", which has ended");
        assertThat(a.connect("n0", c).interfaceName()).isEqualTo("eth0");
        assertThat(hooked.get(StoreLock.container("c"))).as("released after its use").isEmpty();
        assertThat(a.reconcile(false).findings()).isEmpty();
    }

    private String owner(String key) {
        return Owner.decode(key, hooked.get(key).orElseThrow().value()).encode();
    }
}
