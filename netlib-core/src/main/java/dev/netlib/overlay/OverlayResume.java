package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Endpoint;
import dev.netlib.network.EndpointConfig;
import dev.netlib.network.Network;
import dev.netlib.network.Networks;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a host's network layer opens again (a new process, after a crash or a graceful close), its
 * overlay endpoints whose containers are still there are announced again, so the other hosts reach
 * them; the adverts of the earlier run went with its lease.
 */
public final class OverlayResume {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayResume.class);

    private OverlayResume() {}

    /**
     * Announces every overlay endpoint that lives on this host (its owner record names this host) and
     * whose container namespace and host-side interface still exist.
     *
     * @return how many endpoints were announced again
     */
    public static int resume(Networks networks, OverlayAgent agent, Netlib host) {
        int n = 0;
        Set<String> namespaces = Set.copyOf(host.namespaces().list()); // once, not per endpoint
        for (Network net : networks.list()) {
            if (net.config().driver() != DriverKind.OVERLAY) {
                continue;
            }
            Optional<OverlayNetwork> o = agent.network(net.name());
            if (o.isEmpty()) {
                continue;
            }
            for (Endpoint e : net.endpoints()) {
                EndpointConfig c = e.config();
                boolean mine = agent.ownerOf(o.get(), c.id()).map(h -> h.equals(agent.hostId())).orElse(false);
                boolean there = c.netnsName() != null && namespaces.contains(c.netnsName())
                        && c.hostIfName() != null && host.findLink(c.hostIfName()).isPresent();
                if (!mine || !there) {
                    continue;
                }
                try {
                    agent.prepare(o.get());
                    agent.advertise(new OverlayEndpoint(o.get(), c.id(), c.address().address(), c.mac(), c.container(), c.netnsName(),
                            c.aliases()));
                    n++;
                } catch (RuntimeException ex) {
                    LOG.warn("could not announce endpoint {} on {} again: {}", c.container(), net.name(), ex.getMessage());
                }
            }
        }
        return n;
    }
}
