package dev.netlib.examples.scenarios;

import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The two processes scenario S5 starts (etcd through {@link ThrowawayEtcd}), kept apart from the scenario so the rule that netlib starts
 * no process (NoExternalProcessesTest) names exactly these: the real etcd the scenario needs as its
 * cluster store, and {@code ip netns exec} to resolve and connect by name the way a program inside a
 * container does (its /etc/hosts is the bind-mounted /etc/netns/NAME/hosts).
 */
final class S5Processes {
    private S5Processes() {}

    /** A throwaway etcd on 127.0.0.1 with free ports and a temporary data directory, both removed when {@code scratch} closes. */
    static String startEtcd(ScratchNamespaces scratch) throws Exception {
        ThrowawayEtcd etcd = ThrowawayEtcd.start("nls-s5");
        scratch.onClose("stop etcd and remove " + etcd.dataDir(), etcd::close);
        return etcd.endpoint();
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
