package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NetlibException;
import dev.netlib.ipam.IpPool;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Networks#reconcile}: compares the store with the kernel, reports the differences and, when
 * asked, repairs them. Runs under the {@link Networks} lock.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Networks nets;
    private final State state;
    private final Netlib host;
    private final Firewall firewall;
    private final HostsFiles hosts;

    Reconciler(Networks nets) {
        this.nets = nets;
        this.state = nets.state();
        this.host = nets.host();
        this.firewall = nets.firewall();
        this.hosts = nets.hosts();
    }

    /** One pass over notes, networks, endpoints, leases, hosts files and bridge ports, in that order. */
    ReconcileReport run(boolean repair) {
        List<ReconcileReport.Finding> findings = new ArrayList<>();
        reconcilePending(repair, findings);
        for (NetworkConfig n : state.networks()) {
            Driver driver = Driver.of(n.driver());
            List<String> missing = driver.check(nets, n);
            if (!missing.isEmpty()) {
                boolean fixed = repair && attempt(() -> repairNetwork(n), "repair network " + n.name());
                missing.forEach(m -> findings.add(new ReconcileReport.Finding("network " + n.name(), m, fixed)));
            }
        }
        for (EndpointConfig e : state.allEndpoints()) {
            NetworkConfig n = state.network(e.network()).orElse(null);
            String subject = "endpoint " + e.container() + " on " + e.network();
            if (n == null) {
                boolean fixed = repair && attempt(() -> forgetEndpoint(e), "forget " + subject);
                findings.add(new ReconcileReport.Finding(subject, "its network is not defined", fixed));
                continue;
            }
            Namespace ns = nets.namespaceOf(e);
            try {
                if (ns == null) {
                    boolean fixed = repair && attempt(() -> forgetEndpoint(e), "forget " + subject);
                    findings.add(new ReconcileReport.Finding(subject, "container namespace " + e.netnsName() + " is gone", fixed));
                } else if (!Driver.of(n.driver()).endpointPresent(nets, n, e, ns)) {
                    boolean fixed = repair && attempt(() -> {
                        Journal j = new Journal("re-create " + subject);
                        try {
                            Driver.of(n.driver()).repairEndpoint(nets, n, e, ns, j);
                            firewall.add(j, missingRules(Networks.publishRules(e)));
                        } catch (RuntimeException ex) {
                            j.rollback(ex);
                            throw ex;
                        }
                    }, "re-create " + subject);
                    findings.add(new ReconcileReport.Finding(subject, "interface " + e.ifName() + " is missing or detached", fixed));
                }
            } finally {
                if (ns != null && !nets.liveNamespaces.containsKey(e.container())) {
                    ns.close();
                }
            }
        }
        reconcileLeases(repair, findings);
        reconcileHosts(repair, findings);
        reconcileStrayVeths(repair, findings);
        ReconcileReport report = new ReconcileReport(findings);
        LOG.info("reconcile: {}", report);
        return report;
    }

    private void reconcilePending(boolean repair, List<ReconcileReport.Finding> findings) {
        for (var entry : state.list(State.PENDING).entrySet()) {
            Pending p = Pending.decode(entry.getKey(), entry.getValue().value());
            boolean committed = state.store().get(p.commitKey()).isPresent() == p.creating();
            String problem = committed ? "interrupted after its point of no return; finishing it"
                    : "interrupted half-way; rolling it back";
            boolean fixed = repair && attempt(() -> {
                if (committed != p.creating()) {
                    // a creation that never committed, or a removal that did: its kernel objects go
                    for (String l : p.links()) {
                        deletePendingLink(l);
                    }
                }
                for (String lease : p.keys()) {
                    releaseOrphanLease(lease);
                }
                state.forceDelete(entry.getKey());
            }, "resolve " + p.operation());
            findings.add(new ReconcileReport.Finding(p.operation(), problem, fixed));
        }
    }

    /** Releases a lease a pending note lists, if the record that would own it does not exist. */
    private void releaseOrphanLease(String lease) {
        String[] f = lease.split("\\|");
        switch (f[0]) {
            case "subnet" -> {
                if (state.network(f[1]).isEmpty()) {
                    state.subnets().subnetOf(State.subnetOwner(f[1])).ifPresent(s -> state.subnets().release(s));
                }
            }
            case "pool" -> {
                if (state.network(f[1]).isEmpty() && IpPool.names(state.store()).contains(State.poolName(f[1]))) {
                    IpPool pool = state.pool(f[1]);
                    pool.allocations().forEach(a -> pool.release(a.address()));
                    pool.delete();
                }
            }
            case "address" -> {
                if (state.endpoint(f[1], f[2]).isEmpty() && IpPool.names(state.store()).contains(State.poolName(f[1]))) {
                    state.pool(f[1]).releaseOwner(f[2]);
                }
            }
            default -> LOG.warn("unknown lease '{}' in a pending note", lease);
        }
    }

    private void deletePendingLink(String link) {
        int bar = link.indexOf('|');
        String netns = link.substring(0, bar);
        String ifName = link.substring(bar + 1);
        if (netns.isEmpty()) {
            Driver.deleteLink(host, ifName);
        } else if (host.namespaces().list().contains(netns)) {
            try (Namespace ns = host.namespaces().open(netns)) {
                Driver.deleteLink(host.in(ns), ifName);
            }
        }
    }

    private void repairNetwork(NetworkConfig n) {
        if (n.driver() != DriverKind.BRIDGE) {
            throw new NetlibException("cannot repair macvlan network " + n.name() + ": its parent " + n.device() + " is not netlib's to create");
        }
        Journal j = new Journal("repair network " + n.name());
        try {
            Optional<LinkInfo> bridge = host.findLink(n.device());
            if (bridge.isEmpty()) {
                var b = host.bridge(n.device()).mac(MacAddress.randomLocal()).up();
                if (n.mtu() != null) {
                    b.mtu(n.mtu());
                }
                j.step("ip link add " + n.device(), b::create, () -> Driver.deleteLink(host, n.device()));
            }
            boolean hasGateway = host.addresses().list(n.device()).stream().anyMatch(a -> a.address().equals(n.gatewayPrefix()));
            if (!hasGateway) {
                host.addresses().add(n.device(), n.gatewayPrefix());
            }
            firewall.add(j, missingRules(Firewall.networkRules(n, List.of())));
        } catch (RuntimeException e) {
            j.rollback(e);
            throw e;
        }
    }

    private List<NatRule> missingRules(List<NatRule> wanted) {
        if (!firewall.enabled()) {
            return List.of();
        }
        List<NatRule> installed = firewall.installed();
        List<NatRule> missing = new ArrayList<>();
        for (NatRule r : wanted) {
            boolean present = installed.stream().anyMatch(i -> i.equals(r) || (i.spec() instanceof dev.netlib.spi.nft.DnatRule d
                    && r.spec() instanceof dev.netlib.spi.nft.DnatRule w && w.equals(new dev.netlib.spi.nft.DnatRule(d.protocol(),
                    d.hostAddress(), d.hostPortFirst(), d.hostPortLast(), d.target(), d.targetPort(), null))));
            if (!present) {
                missing.add(r);
            }
        }
        return missing;
    }

    private void forgetEndpoint(EndpointConfig e) {
        Journal j = new Journal("forget endpoint " + e.container() + " on " + e.network());
        try {
            if (state.network(e.network()).isPresent()) {
                nets.forget(j, e);
            } else {
                firewall.remove(j, Networks.publishRules(e));
                state.delete(j, State.endpointKey(e.network(), e.container()));
            }
            if (e.hostIfName() != null) {
                Driver.deleteLink(host, e.hostIfName());
            }
            j.commit();
        } catch (RuntimeException ex) {
            j.rollback(ex);
            throw ex;
        }
        nets.liveNamespaces.remove(e.container());
    }

    private void reconcileLeases(boolean repair, List<ReconcileReport.Finding> findings) {
        List<NetworkConfig> nets = state.networks();
        Set<String> names = new HashSet<>();
        nets.forEach(n -> names.add(n.name()));
        // subnet leases
        Map<IpPrefix, String> subnets = state.subnets().subnets();
        for (var s : subnets.entrySet()) {
            String owner = s.getValue();
            if (owner.startsWith("network:") && !names.contains(owner.substring("network:".length()))) {
                boolean fixed = repair && attempt(() -> state.subnets().release(s.getKey()), "release " + s.getKey());
                findings.add(new ReconcileReport.Finding("subnet lease " + s.getKey(), "held by " + owner + ", which is not defined", fixed));
            }
        }
        for (NetworkConfig n : nets) {
            if (!State.subnetOwner(n.name()).equals(subnets.get(n.subnet()))) {
                boolean fixed = repair && attempt(() -> state.subnets().reserve(n.subnet(), State.subnetOwner(n.name())), "lease " + n.subnet());
                findings.add(new ReconcileReport.Finding("network " + n.name(), "subnet " + n.subnet() + " is not leased to it", fixed));
            }
        }
        // address pools
        List<String> pools = IpPool.names(state.store());
        for (String pool : pools) {
            if (pool.startsWith("net-") && !names.contains(pool.substring(4))) {
                String net = pool.substring(4);
                boolean fixed = repair && attempt(() -> releaseOrphanLease("pool|" + net), "delete pool " + pool);
                findings.add(new ReconcileReport.Finding("address pool " + pool, "its network " + net + " is not defined", fixed));
            }
        }
        for (NetworkConfig n : nets) {
            if (!pools.contains(State.poolName(n.name()))) {
                boolean fixed = repair && attempt(() -> {
                    IpPool p = IpPool.builder(state.store(), State.poolName(n.name())).subnet(n.subnet()).gateway(n.gateway()).create();
                    state.endpoints(n.name()).forEach(e -> p.allocate(e.address().address(), e.container()));
                }, "re-create pool of " + n.name());
                findings.add(new ReconcileReport.Finding("network " + n.name(), "its address pool is missing", fixed));
                continue;
            }
            IpPool pool = state.pool(n.name());
            Set<InetAddress> held = new HashSet<>();
            state.endpoints(n.name()).forEach(e -> held.add(e.address().address()));
            for (var a : pool.allocations()) {
                if (!held.contains(a.address())) {
                    boolean fixed = repair && attempt(() -> pool.release(a.address()), "release " + a.address());
                    findings.add(new ReconcileReport.Finding("address lease " + IpAddresses.format(a.address()) + " on " + n.name(),
                            "held by " + a.owner() + ", which has no endpoint there", fixed));
                }
            }
        }
    }

    /** Hosts files that do not say what the store says (two processes rewrote one at once, or someone edited it). */
    private void reconcileHosts(boolean repair, List<ReconcileReport.Finding> findings) {
        Set<String> containers = new LinkedHashSet<>();
        state.allEndpoints().forEach(e -> containers.add(e.container()));
        for (String c : containers) {
            List<EndpointConfig> own = state.endpointsOf(c);
            String netns = own.stream().map(EndpointConfig::netnsName).filter(Objects::nonNull).findFirst().orElse(null);
            if (netns == null || hosts.file(netns).isEmpty()) {
                continue;
            }
            String wanted = HostsFiles.render(c, own, nets.peersOf(c));
            if (!wanted.equals(hosts.read(netns))) {
                boolean fixed = repair && attempt(() -> hosts.write(new Journal("rewrite hosts of " + c), netns, wanted), "rewrite hosts of " + c);
                findings.add(new ReconcileReport.Finding("hosts file of " + c, "differs from the store", fixed));
            }
        }
    }

    private void reconcileStrayVeths(boolean repair, List<ReconcileReport.Finding> findings) {
        Set<String> bridges = new HashSet<>();
        for (NetworkConfig n : state.networks()) {
            if (n.driver() == DriverKind.BRIDGE) {
                bridges.add(n.device());
            }
        }
        Set<String> owned = new HashSet<>();
        for (EndpointConfig e : state.allEndpoints()) {
            if (e.hostIfName() != null) {
                owned.add(e.hostIfName());
            }
        }
        for (LinkInfo l : host.links()) {
            if (l.isVeth() && l.masterName() != null && bridges.contains(l.masterName()) && !owned.contains(l.name())) {
                boolean fixed = repair && attempt(() -> Driver.deleteLink(host, l.name()), "delete " + l.name());
                findings.add(new ReconcileReport.Finding("link " + l.name(), "port of " + l.masterName() + " that no endpoint owns", fixed));
            }
        }
    }

    private static boolean attempt(Runnable repair, String what) {
        try {
            repair.run();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("reconcile could not {}: {}", what, e.toString());
            return false;
        }
    }
}
