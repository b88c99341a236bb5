package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.cluster.ClusterIpamStore;
import dev.netlib.cluster.ClusterStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.network.ClusterMembership;
import dev.netlib.network.Driver;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Networks;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A cluster of hosts sharing a {@link ClusterStore}, as the network layer joins it:
 *
 * <pre>{@code
 * Networks h2 = Networks.builder(host2).store(localStore)
 *         .cluster(Cluster.of(store, HostId.of("h2"), "192.168.56.102")).open();
 * }</pre>
 *
 * Joining starts this host's {@link OverlayAgent} (lease, registration, watch, kernel programming)
 * on threads of the caller's JVM, plugs in the overlay driver, and keeps the records and addresses
 * of global networks in the store under the agent's key prefix ({@code PREFIX/networks-layer/}).
 */
public final class Cluster implements ClusterMembership {
    private final ClusterStore store;
    private final HostId hostId;
    private final InetAddress vtep;
    private final UnaryOperator<OverlayAgent.Builder> settings;

    private Cluster(ClusterStore store, HostId hostId, InetAddress vtep, UnaryOperator<OverlayAgent.Builder> settings) {
        this.store = Objects.requireNonNull(store, "cluster store");
        this.hostId = Objects.requireNonNull(hostId, "host id");
        this.vtep = Objects.requireNonNull(vtep, "VTEP address");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The cluster of {@code store}, joined as {@code hostId} with tunnels ending at {@code vtepAddress}.
     *
     * @param store       the store every host shares
     * @param hostId      the host's stable name in the cluster
     * @param vtepAddress the host's underlay address, the tunnels' endpoint (an IPv4 literal)
     * @return the membership to hand to {@code Networks.Builder#cluster}
     */
    public static Cluster of(ClusterStore store, HostId hostId, String vtepAddress) {
        return new Cluster(store, hostId, IpAddresses.parse(vtepAddress), b -> b);
    }

    /**
     * Like {@link #of(ClusterStore, HostId, String)}, with the agent's settings (lease TTL, key prefix...).
     *
     * @param store       the store every host shares
     * @param hostId      the host's stable name in the cluster
     * @param vtepAddress the host's underlay address
     * @param settings    changes to the agent's builder
     * @return the membership to hand to {@code Networks.Builder#cluster}
     */
    public static Cluster of(ClusterStore store, HostId hostId, InetAddress vtepAddress, UnaryOperator<OverlayAgent.Builder> settings) {
        return new Cluster(store, hostId, vtepAddress, settings);
    }

    @Override
    public Joined join(Netlib host, Path etcNetns) {
        OverlayAgent.Builder b = settings.apply(OverlayAgent.builder(host, store, hostId, vtep));
        if (etcNetns != null) {
            b.hostsRoot(etcNetns);
        }
        OverlayAgent agent = b.open();
        try {
            IpamStore global = new ClusterIpamStore(store, agent.keyPrefix() + "networks-layer/");
            Map<DriverKind, Driver> drivers = Map.of(DriverKind.OVERLAY, new OverlayDriver(agent));
            return new Joined() {
                @Override
                public IpamStore globalStore() {
                    return global;
                }

                @Override
                public Map<DriverKind, Driver> drivers() {
                    return drivers;
                }

                @Override
                public void opened(Networks networks) {
                    OverlayResume.resume(networks, agent, host); // containers that outlived the last process
                }

                @Override
                public void close() {
                    agent.close();
                }
            };
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }
}
