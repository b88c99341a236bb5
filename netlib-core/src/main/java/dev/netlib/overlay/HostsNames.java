package dev.netlib.overlay;

import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay's section of the local containers' hosts files ({@link NamesFile}): every endpoint of
 * the container's networks, on every host, by name and aliases.
 */
final class HostsNames {
    private static final Logger LOG = LoggerFactory.getLogger(HostsNames.class);

    private final Path root;
    private final ClusterView view;
    private final LocalEndpoints local;
    private final ScheduledExecutorService scheduler;
    /** Where the files are written: the agent's kernel thread, one write at a time. */
    private final Executor writer;
    private final HostId me;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    /** {@code root} null: no names are written. */
    HostsNames(Path root, ClusterView view, LocalEndpoints local, ScheduledExecutorService scheduler, Executor writer, HostId me) {
        this.root = root;
        this.view = view;
        this.local = local;
        this.scheduler = scheduler;
        this.writer = writer;
        this.me = me;
    }

    /**
     * Hosts files are rewritten at most every 50 ms per network: a burst of joins then costs one
     * rewrite per local container instead of one per join (each rewrite lists every name).
     */
    void schedule(OverlayNetwork n) {
        if (root == null || !pending.add(n.id())) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                pending.remove(n.id());
                try {
                    writer.execute(() -> write(view.network(n.id()).orElse(n)));
                } catch (RejectedExecutionException stopping) {
                    // closing
                }
            }, 50, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            pending.remove(n.id());
        }
    }

    private void write(OverlayNetwork n) {
        List<String> lines = new ArrayList<>();
        for (EndpointAdvert a : view.adverts(n.id())) {
            List<String> names = a.names();
            if (!names.isEmpty()) {
                lines.add(IpAddresses.format(a.ip()) + "\t" + String.join(" ", names));
            }
        }
        for (OverlayEndpoint e : local.of(n.id())) {
            if (e.container() != null) {
                write(e.container(), lines);
            }
        }
    }

    /** Removes the section from a container's hosts file (its endpoint left the network). */
    void clear(String container) {
        write(container, List.of());
    }

    private void write(String container, List<String> lines) {
        if (root == null) {
            return;
        }
        try {
            NamesFile.write(root, container, lines);
        } catch (IOException e) {
            LOG.warn("overlay agent {}: cannot write the hosts file of {}: {}", me, container, e.toString());
        }
    }
}
