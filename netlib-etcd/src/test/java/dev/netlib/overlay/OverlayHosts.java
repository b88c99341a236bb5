package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The setup every overlay kernel test shares, as a JUnit extension: before each test a fresh {@link
 * OverlayLab} of three hosts (skipped, saying why, without root or etcd) and the agents the class asks
 * for; after each test every live agent's kernel must equal the store (the "nothing left behind, nothing
 * missing" check), then every agent and the lab are closed, also when the test or the check failed.
 *
 * <p>Agents are kept per host number; a test stops, abandons or replaces them through this class so
 * that the after-each check covers exactly the agents still running.
 */
final class OverlayHosts implements BeforeEachCallback, AfterEachCallback {
    private static final int HOSTS = 3;
    private final int agentsAtStart;
    private final Duration settle;
    private final UnaryOperator<OverlayAgent.Builder> settings;
    private final Map<Integer, OverlayAgent> agents = new LinkedHashMap<>();
    private OverlayLab lab;

    private OverlayHosts(int agentsAtStart, Duration settle, UnaryOperator<OverlayAgent.Builder> settings) {
        this.agentsAtStart = agentsAtStart;
        this.settle = settle;
        this.settings = settings;
    }

    /**
     * A lab with agents on hosts 1..{@code agentsAtStart} before each test; after it, each live agent's
     * diff must be empty at once ({@code settle} zero) or become empty within {@code settle}.
     * {@code settings} adjusts every agent this class opens (e.g. a short lease).
     */
    static OverlayHosts of(int agentsAtStart, Duration settle, UnaryOperator<OverlayAgent.Builder> settings) {
        return new OverlayHosts(agentsAtStart, settle, settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        OverlayLab.assumeRoot();
        Assumptions.assumeTrue(ThrowawayEtcd.binary().isPresent(), "etcd binary not found on PATH: install Debian's etcd-server");
        lab = new OverlayLab(HOSTS);
        for (int h = 1; h <= agentsAtStart; h++) {
            start(h);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (OverlayAgent a : agents.values()) {
                if (settle.isZero()) {
                    assertThat(a.diff()).as("kernel vs store on " + a.hostId()).isEmpty();
                } else {
                    OverlayKernelTest.awaitMillis(a.hostId() + " kernel equals store", () -> a.diff().isEmpty(), settle.toMillis());
                }
            }
        } finally {
            List<OverlayAgent> open = new ArrayList<>(agents.values());
            agents.clear();
            try {
                open.forEach(OverlayAgent::close);
            } finally {
                if (lab != null) {
                    lab.close();
                    lab = null;
                }
            }
        }
    }

    /** This test's lab. */
    OverlayLab lab() {
        return lab;
    }

    /** The running agent of host {@code h}. */
    OverlayAgent agent(int h) {
        OverlayAgent a = agents.get(h);
        if (a == null) {
            throw new IllegalStateException("no agent running on host " + h);
        }
        return a;
    }

    /** All running agents. */
    List<OverlayAgent> agents() {
        return List.copyOf(agents.values());
    }

    /** Opens an agent on host {@code h} (which must have none running) with the class's settings. */
    OverlayAgent start(int h) {
        return adopt(h, settings.apply(lab.builder(h)).open());
    }

    /** Takes an agent the test opened itself as host {@code h}'s (closed and checked like the others). */
    OverlayAgent adopt(int h, OverlayAgent a) {
        if (agents.containsKey(h)) {
            a.close();
            throw new IllegalStateException("host " + h + " already has an agent running");
        }
        agents.put(h, a);
        return a;
    }

    /** Closes host {@code h}'s agent gracefully (its lease is revoked: the others withdraw its endpoints). */
    void stop(int h) {
        agent(h).close();
        agents.remove(h);
    }

    /** Host {@code h}'s agent dies as a process would: its kernel objects and store keys stay behind. */
    void abandon(int h) {
        agent(h).abandon();
        agents.remove(h);
    }
}
