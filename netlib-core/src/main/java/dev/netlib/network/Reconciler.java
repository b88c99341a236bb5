package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.ipam.Versioned;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reconcile()}: compares the store with the kernel both ways, reports the differences and,
 * when asked, repairs them, touching only work whose owner is provably gone ({@link Liveness}).
 *
 * <p>Order matters against other processes working meanwhile: the kernel (host links, nft rules) is
 * read first and the store after. Every operation stores its pending note before its first kernel
 * change, so a kernel object seen here either has a record, or a note read afterwards (a live owner:
 * left alone), or is a leftover.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** Bridge names netlib generates: leftovers of removed networks carry them. */
    private static final Pattern NETLIB_BRIDGE = Pattern.compile("br-[0-9a-f]{12}");

    private final Host host;
    private final EndpointOps endpoints;
    private final NameOps names;
    private final List<ReconcileReport.Finding> findings = new ArrayList<>();
    /** Records and links of operations whose owners are alive: not ours to touch. */
    private final Set<String> liveKeys = new HashSet<>();
    private final Set<String> liveLinks = new HashSet<>();
    private boolean anyLive;
    private boolean repair;

    Reconciler(Host host, EndpointOps endpoints, NameOps names) {
        this.host = host;
        this.endpoints = endpoints;
        this.names = names;
    }

    ReconcileReport run(boolean repair) {
        this.repair = repair;
        List<LinkInfo> hostLinks = host.host.links();
        List<NatRule> installed = host.firewall.installed();
        for (State s : host.states()) {
            pending(s);
        }
        for (NetworkConfig n : host.networks()) {
            network(n);
        }
        for (State s : host.states()) {
            for (EndpointConfig e : s.allEndpoints()) {
                endpoint(s, e);
            }
            index(s);
            leases(s);
            subnets(s);
        }
        orphanRules(installed);
        strayLinks(hostLinks);
        hostsFiles();
        ReconcileReport report = new ReconcileReport(findings);
        LOG.info("reconcile: {}", report);
        return report;
    }

    private void found(String subject, String problem, Runnable fix) {
        boolean fixed = false;
        if (repair) {
            try {
                fix.run();
                fixed = true;
            } catch (RuntimeException e) {
                LOG.warn("reconcile could not repair {}: {}: {}", subject, problem, e.toString());
            }
        }
        findings.add(new ReconcileReport.Finding(subject, problem, fixed));
    }

    /** Runs {@code body} with a journal, all or nothing. */
    private void journaled(String what, java.util.function.Consumer<Journal> body) {
        Journal j = new Journal(what);
        try {
            body.accept(j);
            j.commit();
        } catch (RuntimeException e) {
            j.rollback(e);
            throw e;
        }
    }

    // ---- notes --------------------------------------------------------------------------------

    private void pending(State s) {
        for (Map.Entry<String, Versioned> entry : s.list(State.PENDING).entrySet()) {
            Pending p;
            try {
                p = Pending.decode(entry.getKey(), entry.getValue().value());
            } catch (RuntimeException e) {
                found("note " + entry.getKey(), "unreadable (" + e.getMessage() + ")", () -> s.forceDelete(entry.getKey(), entry.getValue().version()));
                continue;
            }
            if (Liveness.alive(p.owner(), s.shared())) {
                anyLive = true;
                liveKeys.add(p.commitKey());
                liveKeys.addAll(p.removes());
                p.links().forEach(l -> liveLinks.add(l.encode()));
                continue;
            }
            boolean committed = s.store().get(p.commitKey()).isPresent() == p.creating();
            if (p.creating()) {
                found(p.operation(), committed ? "interrupted after its point of no return; finishing it"
                        : "interrupted half-way; rolling it back", () -> {
                    if (!committed) {
                        p.links().forEach(this::deleteLink);
                    }
                    s.forceDelete(entry.getKey(), entry.getValue().version());
                });
            } else {
                // a removal is finished: what it deleted already cannot be brought back
                found(p.operation(), committed ? "interrupted after its point of no return; finishing it"
                        : "interrupted half-way; finishing it", () -> {
                    for (String key : p.removes()) {
                        s.forceDelete(key);
                    }
                    p.links().forEach(this::deleteLink);
                    s.forceDelete(entry.getKey(), entry.getValue().version());
                });
            }
        }
    }

    private void deleteLink(KernelLink l) {
        if (l.netns() == null) {
            Driver.deleteLink(host.host, l.name());
        } else if (host.host.namespaces().list().contains(l.netns())) {
            try (Namespace ns = host.host.namespaces().open(l.netns())) {
                Driver.deleteLink(host.host.in(ns), l.name());
            }
        }
    }

    // ---- networks and endpoints ----------------------------------------------------------------

    private void network(NetworkConfig n) {
        if (liveKeys.contains(State.networkKey(n.name()))) {
            return;
        }
        Driver driver = host.driver(n.driver());
        for (String m : driver.check(host, n)) {
            found("network " + n.name(), m, () -> journaled("repair network " + n.name(), j -> driver.repairNetwork(host, n, j)));
        }
    }

    private void endpoint(State s, EndpointConfig e) {
        if (liveKeys.contains(State.endpointKey(e.network(), e.container()))) {
            return;
        }
        String subject = "endpoint " + e.container() + " on " + e.network();
        NetworkConfig n = s.network(e.network()).orElse(null);
        if (n == null) {
            found(subject, "its network is not defined", () -> forgetEndpoint(s, e));
            return;
        }
        Driver driver = host.driver(n.driver());
        if (!driver.isLocal(host, n, e)) {
            return; // another host's endpoint on a network of global scope: that host reconciles it
        }
        Namespace ns = host.namespaceOf(e);
        try {
            if (ns == null) {
                found(subject, "container namespace " + e.netnsName() + " is gone", () -> forgetEndpoint(s, e));
                return;
            }
            if (!driver.endpointPresent(host, n, e, ns)) {
                found(subject, "interface " + e.ifName() + " is missing or detached", () -> journaled("re-create " + subject, j -> {
                    driver.repairEndpoint(host, n, e, ns, j);
                    host.firewall.add(j, Firewall.missing(host.firewall.installed(), e.publishRules()));
                }));
                return;
            }
            List<NatRule> missing = Firewall.missing(host.firewall.installed(), host.firewall.enabled() ? e.publishRules() : List.of());
            if (!missing.isEmpty()) {
                found(subject, "published port rules " + missing + " are missing", () -> journaled("publish " + subject, j -> host.firewall.add(j, missing)));
            }
        } finally {
            host.closeIfOpened(e.container(), ns);
        }
    }

    private void forgetEndpoint(State s, EndpointConfig e) {
        journaled("forget endpoint " + e.container() + " on " + e.network(), j -> endpoints.forget(j, s, e));
        if (e.hostIfName() != null) {
            Driver.deleteLink(host.host, e.hostIfName());
        }
        if (host.endpointsOf(e.container()).isEmpty()) {
            host.liveNamespaces.remove(e.container());
        }
    }

    /** Index entries without an endpoint, and endpoints without an index entry. */
    private void index(State s) {
        Set<String> indexed = new HashSet<>();
        s.index().forEach((container, nets) -> {
            for (String net : nets) {
                indexed.add(State.endpointKey(net, container));
                String key = State.endpointKey(net, container);
                if (!liveKeys.contains(key) && s.endpoint(net, container).isEmpty()) {
                    found("index of " + container, "lists network " + net + ", where it has no endpoint",
                            () -> s.forceDelete(State.indexKey(container, net)));
                }
            }
        });
        for (EndpointConfig e : s.allEndpoints()) {
            String key = State.endpointKey(e.network(), e.container());
            if (!indexed.contains(key) && !liveKeys.contains(key)) {
                found("index of " + e.container(), "does not list its endpoint on " + e.network(),
                        () -> journaled("index " + e.container(), j -> s.put(j, State.indexKey(e.container(), e.network()), e.ifName())));
            }
        }
    }

    /** Leases without an endpoint (whose owner is gone), and endpoints without their lease. */
    private void leases(State s) {
        Set<String> held = new HashSet<>();
        for (EndpointConfig e : s.allEndpoints()) {
            String key = State.leaseKey(e.network(), e.address().address());
            held.add(key + "|" + e.container());
        }
        Set<String> leased = new HashSet<>();
        for (Map.Entry<String, Versioned> l : s.list(State.LEASES).entrySet()) {
            String key = l.getKey();
            Lease lease;
            try {
                lease = Lease.decode(key, l.getValue().value());
            } catch (RuntimeException ex) {
                found("address lease " + key, "unreadable (" + ex.getMessage() + ")", () -> s.forceDelete(key, l.getValue().version()));
                continue;
            }
            leased.add(key);
            String rest = key.substring(State.LEASES.length());
            String net = rest.substring(0, rest.indexOf('/'));
            if (held.contains(key + "|" + lease.container()) || liveKeys.contains(State.endpointKey(net, lease.container()))
                    || Liveness.alive(lease.owner(), s.shared())) {
                continue;
            }
            found("address lease " + rest.substring(rest.indexOf('/') + 1) + " on " + net,
                    "held by " + lease.container() + ", which has no endpoint there", () -> s.forceDelete(key, l.getValue().version()));
        }
        for (EndpointConfig e : s.allEndpoints()) {
            String key = State.leaseKey(e.network(), e.address().address());
            if (!leased.contains(key) && !liveKeys.contains(State.endpointKey(e.network(), e.container()))) {
                found("endpoint " + e.container() + " on " + e.network(), "its address " + IpAddresses.format(e.address().address()) + " is not leased",
                        () -> journaled("lease " + key, j -> s.create(j, key, new Lease(e.container(), Liveness.finished()).encode(),
                                key + " was just taken by another process")));
            }
        }
    }

    /** Subnet leases of networks that do not exist, and networks without their subnet lease. */
    private void subnets(State s) {
        Map<IpPrefix, String> subnets = s.subnets().subnets();
        Set<String> defined = new HashSet<>();
        List<NetworkConfig> nets = s.networks();
        nets.forEach(n -> defined.add(n.name()));
        for (var e : subnets.entrySet()) {
            String owner = e.getValue();
            if (owner.startsWith("network:")) {
                String name = owner.substring("network:".length());
                if (!defined.contains(name) && !liveKeys.contains(State.networkKey(name))) {
                    found("subnet lease " + e.getKey(), "held by " + owner + ", which is not defined", () -> {
                        if (owner.equals(s.subnets().subnets().get(e.getKey()))) {
                            s.subnets().release(e.getKey());
                        }
                    });
                }
            }
        }
        for (NetworkConfig n : nets) {
            if (!State.subnetOwner(n.name()).equals(subnets.get(n.subnet()))) {
                found("network " + n.name(), "subnet " + n.subnet() + " is not leased to it", () -> s.subnets().reserve(n.subnet(), State.subnetOwner(n.name())));
            }
        }
    }

    // ---- kernel objects without records ----------------------------------------------------------

    /** netlib network rules no record wants (a removed network's, a released address's published port). */
    private void orphanRules(List<NatRule> installed) {
        if (!host.firewall.enabled() || anyLive) {
            return; // while someone works, a rule may be theirs before its record exists
        }
        List<NetworkConfig> nets = host.networks();
        List<NatRule> wanted = new ArrayList<>();
        Set<String> devices = new HashSet<>();
        for (NetworkConfig n : nets) {
            if (n.driver() == DriverKind.BRIDGE) {
                wanted.addAll(BridgeDriver.networkRules(n, nets));
                devices.add(n.device());
            }
        }
        for (State s : host.states()) {
            s.allEndpoints().forEach(e -> wanted.addAll(e.publishRules()));
        }
        for (NatRule r : installed) {
            if (ours(r, nets, devices) && wanted.stream().noneMatch(w -> Firewall.same(w, r))) {
                found("rule '" + r + "'", "no network or endpoint wants it", () -> journaled("remove " + r, j -> host.firewall.remove(j, List.of(r))));
            }
        }
    }

    /** True if {@code r} is the network layer's: it names one of its bridges, or publishes to one of its subnets. */
    private boolean ours(NatRule r, List<NetworkConfig> nets, Set<String> devices) {
        java.util.function.Predicate<String> bridge = d -> d != null && (devices.contains(d) || NETLIB_BRIDGE.matcher(d).matches()
                || d.equals(host.defaultBridgeName));
        if (r.spec() instanceof IsolationRule i) {
            return bridge.test(i.bridgeA()) || bridge.test(i.bridgeB());
        }
        if (r.spec() instanceof IccRule i) {
            return bridge.test(i.bridge());
        }
        if (r.spec() instanceof MasqueradeRule m) {
            return bridge.test(m.outInterface());
        }
        if (r.spec() instanceof DnatRule d) {
            return nets.stream().anyMatch(n -> n.subnet().contains(d.target()));
        }
        return false;
    }

    /** Links on netlib's bridges that no endpoint owns and no live operation is making. */
    private void strayLinks(List<LinkInfo> hostLinks) {
        Set<String> owned = new HashSet<>();
        for (State s : host.states()) {
            s.allEndpoints().forEach(e -> {
                if (e.hostIfName() != null) {
                    owned.add(e.hostIfName());
                }
            });
        }
        for (String l : liveLinks) {
            owned.add(KernelLink.decode(l).name());
        }
        for (NetworkConfig n : host.networks()) {
            for (String l : host.driver(n.driver()).strayLinks(n, hostLinks, owned)) {
                if (host.host.findLink(l).isEmpty()) {
                    continue; // gone since the dump (e.g. a note's links deleted above, a namespace's teardown)
                }
                found("link " + l, "port of " + n.device() + " that no endpoint owns", () -> Driver.deleteLink(host.host, l));
            }
        }
    }

    /** Hosts files that differ from the records, files of containers without endpoints, and temporary files. */
    private void hostsFiles() {
        if (!host.hosts.enabled()) {
            return;
        }
        Set<String> wantedNetns = new HashSet<>();
        for (Map.Entry<String, NameOps.Wanted> w : names.wantedFiles().entrySet()) {
            String c = w.getKey();
            String netns = w.getValue().netns();
            if (netns == null || w.getValue().content() == null) {
                continue;
            }
            wantedNetns.add(netns);
            if (!w.getValue().content().equals(host.hosts.read(netns))) {
                found("hosts file of " + c, "differs from the store",
                        () -> journaled("rewrite hosts of " + c, j -> host.hosts.write(j, netns, w.getValue().content())));
            }
        }
        if (anyLive) {
            return; // a live connect may be writing a file its record does not yet list
        }
        Path root = host.hosts.root();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String netns = dir.getFileName().toString();
                try (Stream<Path> files = Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.list(dir) : Stream.empty()) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".hosts-") && name.endsWith(".tmp")) {
                            found("file " + f, "a temporary file an interrupted writer left", () -> deleteQuietly(f));
                        }
                    }
                }
                String content = wantedNetns.contains(netns) ? null : readQuietly(dir.resolve("hosts"));
                if (content != null && content.startsWith(HostsFiles.MARKER)) {
                    found("hosts file of namespace " + netns, "no endpoint is in that namespace",
                            () -> journaled("remove hosts of " + netns, j -> host.hosts.remove(j, netns)));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", root, e.toString());
        }
    }

    private static String readQuietly(Path f) {
        try {
            return Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(f) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
