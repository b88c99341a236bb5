package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.Versioned;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.HairpinRule;
import dev.netlib.spi.nft.IccRule;
import dev.netlib.spi.nft.IsolationRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Pattern;
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
 *
 * <p>A pass reads the notes once, at its start, and each kind of record once; an operation that
 * starts later has no note in that read, and its records, index entries and interfaces change
 * between the pass's reads (a disconnect deletes its record, then its index entry, then its
 * interface). So a difference between two reads is a finding only if it still holds when read
 * again just before it is reported ({@link #stillTheSame}, {@link State#liveNotes}): otherwise a pass
 * running beside other processes would re-create the interface of an endpoint being removed, or
 * delete the index entry of one just connected again, and make their own next steps fail.
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
    /** The missing rules found so far ({@link Driver.Missing#rule}): a rule two networks want is one finding. */
    private final Set<NatRule> missingRules = new HashSet<>();
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
        for (State s : host.states()) {
            pending(s);
        }
        locks(host.local);
        for (NetworkConfig n : host.networks()) {
            network(n);
        }
        for (State s : host.states()) {
            for (EndpointConfig e : s.allEndpoints()) {
                endpoint(s, e);
            }
            index(s);
            defaultRoutes(s);
            leases(s);
            subnets(s);
        }
        orphanRules();
        strayLinks(hostLinks);
        new HostsFilesCheck(host, names, repair, this::found, this::journaled, this::workUnderWayNow).run(anyLive);
        ReconcileReport report = new ReconcileReport(findings);
        if (report.isClean()) {
            LOG.debug("reconcile: {}", report);
        } else {
            LOG.info("reconcile: {}", report);
        }
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
            // an owner that is not alive now may have ended its operation since the listing, its
            // note deleted by its own end (Liveness ends an operation after its note is gone): that
            // operation was live while this pass read, and it is over, so it is nobody's to finish
            if (Liveness.alive(p.owner(), s) || !s.holds(entry.getKey(), entry.getValue())) {
                anyLive = true;
                liveKeys.add(p.commitKey());
                liveKeys.addAll(p.removes());
                p.links().forEach(l -> liveLinks.add(l.encode()));
                continue;
            }
            boolean committed = s.store().get(p.commitKey()).isPresent() == p.creating();
            // a dead owner of another machine (its store lease gone) made its links in that machine's
            // kernel, which this one cannot reach: only its records are finished or rolled back here,
            // and the links are that host's reconcile's (strays on its bridges) when it comes back
            boolean here = Liveness.thisMachine(p.owner());
            String where = here ? "" : " (its owner ran on another machine: store records only)";
            if (p.creating()) {
                found(p.operation(), (committed ? "interrupted after its point of no return; finishing it"
                        : "interrupted half-way; rolling it back") + where, () -> {
                    if (!committed && here) {
                        deleteLinks(p.links());
                    }
                    s.forceDelete(entry.getKey(), entry.getValue().version());
                });
            } else {
                // a removal is finished: what it deleted already cannot be brought back
                found(p.operation(), (committed ? "interrupted after its point of no return; finishing it"
                        : "interrupted half-way; finishing it") + where, () -> {
                    for (String key : p.removes()) {
                        s.forceDelete(key);
                    }
                    if (here) {
                        deleteLinks(p.links());
                        for (String netns : p.namespaces()) {
                            if (host.host.namespaces().list().contains(netns)) {
                                host.host.namespaces().delete(netns); // the container's deletion, finished
                            }
                        }
                    }
                    s.forceDelete(entry.getKey(), entry.getValue().version());
                });
            }
        }
    }

    /**
     * Deletes the links a dead owner's note names. A container-side link named beside a host-side
     * one is a veth's peer, named as a claim only (Driver#endpointLinks): deleting the host end
     * takes it along if it was the owner's, and if it was not, it is someone else's.
     */
    private void deleteLinks(List<KernelLink> links) {
        boolean hostEnd = links.stream().anyMatch(l -> l.netns() == null);
        for (KernelLink l : links) {
            if (l.netns() == null || !hostEnd) {
                deleteLink(l);
            }
        }
    }

    /**
     * Deletes a link a dead owner's note names. A host-side name is the operation's own (it carries
     * the endpoint's random id); a name inside a container (a macvlan's ethN) is not: the owner may
     * have died before making it, and another process may have given the free name to its own
     * endpoint since. So such a link goes only if no endpoint record and no live operation's note
     * names it now, and if it is not a veth (which such a note never names alone).
     */
    private void deleteLink(KernelLink l) {
        if (l.netns() == null) {
            Driver.deleteLink(host.host, l.name());
        } else if (host.host.namespaces().list().contains(l.netns())) {
            if (claimedNow(l)) {
                LOG.info("reconcile: {} in {} is another endpoint's now; left alone", l.name(), l.netns());
                return;
            }
            try (Namespace ns = host.host.namespaces().open(l.netns())) {
                Netlib inside = host.host.in(ns);
                // named alone, it is a macvlan the owner was making: netlib's notes name a veth by
                // its host end, so a veth here is someone else's (an overlay endpoint's gateway
                // interface takes the next free ethN during attach, in no note)
                if (inside.findLink(l.name()).map(LinkInfo::isVeth).orElse(false)) {
                    LOG.info("reconcile: {} in {} is a veth, not the link the dead operation named; left alone", l.name(), l.netns());
                    return;
                }
                Driver.deleteLink(inside, l.name());
            }
        }
    }

    /** True if an endpoint record, or a live operation's note, names the container-side link {@code l} now. */
    private boolean claimedNow(KernelLink l) {
        for (State s : host.states()) {
            for (EndpointConfig e : s.allEndpoints()) {
                if (l.netns().equals(e.netnsName()) && l.name().equals(e.ifName())) {
                    return true;
                }
            }
            for (Pending p : s.liveNotes()) {
                if (p.links().contains(l)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Locks ({@link StoreLock}) whose owners are gone: a process killed while it held one. The next
     * operation on the container takes such a lock over anyway; one on a container never used again
     * would stay. A lock released since the listing (its owner ended after deleting it) is no finding.
     */
    private void locks(State s) {
        for (Map.Entry<String, Versioned> lock : s.list(StoreLock.PREFIX).entrySet()) {
            String key = lock.getKey();
            long version = lock.getValue().version();
            Owner holder = StoreLock.decode(key, lock.getValue());
            if (holder != null && Liveness.alive(holder, s) || !s.holds(key, lock.getValue())) {
                continue;
            }
            found("lock " + key, holder == null ? "unreadable" : "held by " + holder.encode() + ", which has ended", () -> s.forceDelete(key, version));
        }
    }

    // ---- networks and endpoints ----------------------------------------------------------------

    private void network(NetworkConfig n) {
        if (anyLive) {
            return; // another process may be rewriting netlib's nft table right now: rules come and go
        }
        Driver driver = host.driver(n.driver());
        boolean lookedAgain = false;
        for (Driver.Missing m : driver.check(host, n)) {
            if (m.rule() != null && !missingRules.add(m.rule())) {
                continue; // a rule two networks want (the isolation between them): one finding, one repair
            }
            if (!lookedAgain) {
                // the notes, then the record again: a removal that began after the pass read the
                // notes deletes the record, then the rules and the bridge; seen half-way, the
                // network lacks what the removal took already, and a repair would put it back
                // for a network about to be gone
                if (workUnderWayNow() || !host.stateOf(n).network(n.name()).filter(n::equals).isPresent()) {
                    return;
                }
                lookedAgain = true;
            }
            found("network " + n.name(), m.problem(), () -> journaled("repair network " + n.name(), j -> driver.repairNetwork(host, n, j)));
        }
    }

    private void endpoint(State s, EndpointConfig e) {
        if (liveKeys.contains(State.endpointKey(e.network(), e.container()))) {
            return;
        }
        String subject = "endpoint " + e.container() + " on " + e.network();
        NetworkConfig n = s.network(e.network()).orElse(null);
        if (n == null) {
            // a removal of the network that will fail and put it back (its record deleted for a
            // while), or a connect or disconnect of this endpoint under way: theirs
            Set<String> live = liveKeysNow(s);
            if (!live.contains(State.networkKey(e.network())) && !live.contains(State.endpointKey(e.network(), e.container()))
                    && s.network(e.network()).isEmpty()) {
                found(subject, "its network is not defined", () -> forgetEndpoint(s, e));
            }
            return;
        }
        Driver driver = host.driver(n.driver());
        if (!driver.isLocal(host, n, e)) {
            return; // another host's endpoint on a network of global scope: that host reconciles it
        }
        Namespace ns = host.namespaceOf(e);
        try {
            if (ns == null) {
                if (stillTheSame(s, e)) {
                    found(subject, "container namespace " + e.netnsName() + " is gone", () -> forgetEndpoint(s, e));
                }
                return;
            }
            if (!driver.endpointPresent(host, n, e, ns)) {
                if (!stillTheSame(s, e)) {
                    return; // removed (or changed) since this pass read it: its owner's work, not a problem
                }
                found(subject, "interface " + e.ifName() + " is missing or detached", () -> journaled("re-create " + subject, j -> {
                    driver.repairEndpoint(host, n, e, ns, j);
                    host.firewall.addMissing(j, e.publishRules());
                    // a disconnect may have taken the record (and the interface) since it was read:
                    // then this repair is undone; a disconnect after this check deletes the same names
                    if (!unchanged(s, e)) {
                        throw new ConcurrentChangeException(subject + " was removed meanwhile; repair undone");
                    }
                }));
                return;
            }
            List<NatRule> missing = anyLive ? List.of() : host.firewall.missing(e.publishRules());
            if (!missing.isEmpty() && stillTheSame(s, e)) {
                found(subject, "published port rules " + missing + " are missing", () -> journaled("publish " + subject, j -> {
                    host.firewall.add(j, missing);
                    // an unpublish or a disconnect that began meanwhile removes its rules itself
                    if (!stillTheSame(s, e)) {
                        throw new ConcurrentChangeException(subject + " changed meanwhile; rules taken back");
                    }
                }));
            }
        } finally {
            host.closeIfOpened(e.container(), ns);
        }
    }

    /** True if the endpoint's record is still the one read. */
    private static boolean unchanged(State s, EndpointConfig e) {
        return s.endpoint(e.network(), e.container()).map(e::equals).orElse(false);
    }

    /**
     * True if {@code e} is still the record in the store, read now, and no operation of a live owner
     * names it in a note now: a difference this pass saw for it is then not an operation under way.
     */
    private boolean stillTheSame(State s, EndpointConfig e) {
        String key = State.endpointKey(e.network(), e.container());
        return unchanged(s, e) && !liveKeysNow(s).contains(key);
    }

    private void forgetEndpoint(State s, EndpointConfig e) {
        if (!unchanged(s, e)) {
            throw new ConcurrentChangeException("endpoint " + e.container() + " on " + e.network() + " changed meanwhile; left to its owner");
        }
        journaled("forget endpoint " + e.container() + " on " + e.network(), j -> {
            if (!endpoints.forget(j, s, e)) {
                throw new ConcurrentChangeException("endpoint " + e.container() + " on " + e.network() + " was removed meanwhile; left to its remover");
            }
        });
        if (e.hostIfName() != null) {
            Driver.deleteLink(host.host, e.hostIfName());
        }
        if (host.endpointsOf(e.container()).isEmpty()) {
            host.liveNamespaces.remove(e.container());
        }
    }

    /**
     * A container whose endpoints carry no default route, whose namespace has none, and which is on
     * a non-internal network: the route a disconnect was handing over when its process died. The
     * first such network's gateway takes it, as the disconnect would have done.
     */
    private void defaultRoutes(State s) {
        if (anyLive) {
            return; // a disconnect in progress hands the route over itself
        }
        s.index().forEach((container, nets) -> {
            List<EndpointConfig> own = host.endpointsOf(container);
            if (own.isEmpty() || own.stream().anyMatch(EndpointConfig::defaultRoute)
                    || own.stream().anyMatch(e -> liveKeys.contains(State.endpointKey(e.network(), e.container())))) {
                return;
            }
            for (EndpointConfig e : own) {
                NetworkConfig n = host.network(e.network()).orElse(null);
                if (n == null || n.internal()) {
                    continue;
                }
                Namespace ns = host.namespaceOf(e);
                try {
                    if (ns == null) {
                        return;
                    }
                    var route = host.host.in(ns).routes().defaults().stream().filter(r -> r.destination().isIpv4()).findFirst();
                    if (!stillTheSame(container, own)) {
                        return; // a connect or disconnect of the container (which hands the route over) began meanwhile
                    }
                    if (route.isPresent()) {
                        // the kernel already routes through one of its networks' gateways: only the record lags
                        for (EndpointConfig o : own) {
                            NetworkConfig on = host.network(o.network()).orElse(null);
                            if (on != null && !on.internal() && on.gateway().equals(route.get().gateway())) {
                                found("endpoint " + container + " on " + on.name(), "carries the container's default route, its record does not say so",
                                        () -> journaled("record default route of " + container,
                                                j -> host.stateOf(on).replaceEndpoint(j, o, o.withDefaultRoute(true))));
                            }
                        }
                        return;
                    }
                    found("container " + container, "has no default route though network " + n.name() + " could give it one",
                            () -> journaled("default route of " + container, j -> {
                                // the record first, on the condition that it is still the one checked: the
                                // route is only made for an endpoint nobody has replaced meanwhile
                                host.stateOf(n).replaceEndpoint(j, e, e.withDefaultRoute(true));
                                host.host.in(ns).routes().to("default").via(IpAddresses.format(n.gateway())).replace();
                            }));
                } finally {
                    host.closeIfOpened(container, ns);
                }
                return;
            }
        });
    }

    /**
     * True if {@code own} are still the container's endpoints and records, read now, and no live
     * operation names any of them in a note now.
     */
    private boolean stillTheSame(String container, List<EndpointConfig> own) {
        if (!host.endpointsOf(container).equals(own)) {
            return false;
        }
        for (EndpointConfig e : own) {
            NetworkConfig n = host.network(e.network()).orElse(null);
            if (n == null || !stillTheSame(host.stateOf(n), e)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Index entries without an endpoint, and endpoints without an index entry. A connect writes its
     * record, then its index entry; a disconnect deletes them in the same order: each difference is
     * read again before it counts, and repaired only at the version read.
     */
    private void index(State s) {
        Set<String> indexed = new HashSet<>();
        s.index().forEach((container, nets) -> {
            for (String net : nets) {
                indexed.add(State.endpointKey(net, container));
                String key = State.endpointKey(net, container);
                if (liveKeys.contains(key) || s.endpoint(net, container).isPresent()) {
                    continue;
                }
                String indexKey = State.indexKey(container, net);
                // read again: the notes, then the entry, then the record (a disconnect deletes the
                // record, then the entry; a connect writes them the other way round)
                if (liveKeysNow(s).contains(key)) {
                    continue; // a disconnect finishing, or a connect under way: their own work
                }
                var entry = s.store().get(indexKey);
                if (entry.isEmpty() || s.endpoint(net, container).isPresent()) {
                    continue; // the disconnect has ended meanwhile, or a connect began after the notes were read
                }
                long version = entry.get().version();
                found("index of " + container, "lists network " + net + ", where it has no endpoint", () -> {
                    if (!s.forceDelete(indexKey, version)) {
                        throw new ConcurrentChangeException(indexKey + " changed meanwhile; left to its writer");
                    }
                });
            }
        });
        for (EndpointConfig e : s.allEndpoints()) {
            String key = State.endpointKey(e.network(), e.container());
            if (indexed.contains(key) || liveKeys.contains(key)) {
                continue;
            }
            String indexKey = State.indexKey(e.container(), e.network());
            // read again: the notes, then the entry, then the record. A connect that began after the
            // pass read the notes writes its record, then its entry: read the entry before the notes,
            // and a connect that wrote it and ended between the two reads was in neither
            if (liveKeysNow(s).contains(key) || s.store().get(indexKey).isPresent() || !unchanged(s, e)) {
                continue; // under way, written since the index was read, or the endpoint changed
            }
            found("index of " + e.container(), "does not list its endpoint on " + e.network(),
                    () -> journaled("index " + e.container(), j -> s.create(j, indexKey, e.ifName(), indexKey + " was just written by another process")));
        }
    }

    /**
     * Address leases without their endpoint, and endpoints without their lease. The leases are read
     * first, then the endpoints: a connect stores its lease, then its endpoint, and its lease names
     * an operation that is over once the connect ends, as a dead process's does. Read the other way
     * round, a connect that ended between the reads had a lease and no endpoint here, and its lease
     * was deleted: its address could then be handed out twice. In this order a connect's lease that
     * was read has its endpoint in the read that follows (or the connect is still alive); an
     * endpoint whose lease came after the read is checked again before it is reported.
     */
    private void leases(State s) {
        SortedMap<String, Versioned> leaseRecords = s.list(State.LEASES);
        List<EndpointConfig> endpoints = s.allEndpoints();
        Set<String> held = new HashSet<>();
        for (EndpointConfig e : endpoints) {
            String key = State.leaseKey(e.network(), e.address().address());
            held.add(key + "|" + e.container());
        }
        Set<String> leased = new HashSet<>();
        for (Map.Entry<String, Versioned> l : leaseRecords.entrySet()) {
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
                    || Liveness.alive(lease.owner(), s) || !leaseStillAlone(s, key, l.getValue(), net, lease)) {
                continue;
            }
            found("address lease " + rest.substring(rest.indexOf('/') + 1) + " on " + net,
                    "held by " + lease.container() + ", which has no endpoint there", () -> s.forceDelete(key, l.getValue().version()));
        }
        for (EndpointConfig e : endpoints) {
            String key = State.leaseKey(e.network(), e.address().address());
            if (!leased.contains(key) && !liveKeys.contains(State.endpointKey(e.network(), e.container()))
                    && s.store().get(key).isEmpty()) { // taken after the leases were read: a connect's, not a finding
                found("endpoint " + e.container() + " on " + e.network(), "its address " + IpAddresses.format(e.address().address()) + " is not leased",
                        () -> journaled("lease " + key, j -> s.create(j, key, new Lease(e.container(), Liveness.finished()).encode(),
                                key + " was just taken by another process")));
            }
        }
    }

    /**
     * True if the lease read still has no endpoint, no live operation names that endpoint now, the
     * lease is still there, unchanged, and still has no endpoint, read in this order. A disconnect
     * stores its note, deletes its endpoint, then releases its lease: one under way has its note in
     * the read, one that has ended since has released the lease before the lease is read again,
     * and one that failed has put its endpoint back before its note went.
     */
    private static boolean leaseStillAlone(State s, String key, Versioned read, String net, Lease lease) {
        if (hasEndpoint(s, key, net, lease) || liveKeysNow(s).contains(State.endpointKey(net, lease.container()))) {
            return false;
        }
        return s.holds(key, read) && !hasEndpoint(s, key, net, lease);
    }

    private static boolean hasEndpoint(State s, String key, String net, Lease lease) {
        return s.endpoint(net, lease.container()).filter(e -> State.leaseKey(net, e.address().address()).equals(key)).isPresent();
    }

    /** Subnet leases of networks that do not exist (whose creator is gone), and networks without their subnet lease. */
    private void subnets(State s) {
        Map<IpPrefix, String> subnets = s.subnets().subnets();
        Set<String> defined = new HashSet<>();
        List<NetworkConfig> nets = s.networks();
        nets.forEach(n -> defined.add(n.name()));
        for (var e : subnets.entrySet()) {
            String owner = e.getValue();
            String name = State.subnetNetwork(owner);
            if (name == null || defined.contains(name) || liveKeys.contains(State.networkKey(name))) {
                continue;
            }
            Owner op;
            try {
                op = State.subnetOp(owner);
            } catch (RuntimeException ex) {
                op = null;
            }
            if (op != null && Liveness.alive(op, s)) {
                continue; // a creation in progress: its record comes next
            }
            // a removal deletes the record, then releases the lease: read again in that order, with
            // the notes in between, so that a removal under way or just ended is not a finding
            if (s.network(name).isPresent() || liveKeysNow(s).contains(State.networkKey(name))
                    || !owner.equals(s.subnets().subnets().get(e.getKey()))) {
                continue;
            }
            found("subnet lease " + e.getKey(), "held by network " + name + ", which is not defined",
                    () -> s.subnets().release(e.getKey(), owner));
        }
        for (Map.Entry<String, Versioned> hint : s.list(State.CURSORS).entrySet()) {
            String key = hint.getKey();
            String name = key.substring(State.CURSORS.length());
            if (defined.contains(name) || liveKeys.contains(State.networkKey(name))
                    || s.network(name).isPresent() || !s.liveNotes().isEmpty()) {
                // (read again: a network created since the reads above, or work under way: a connect
                // that read the network before its removal writes the hint, and takes it back itself)
                continue;
            }
            if (s.holds(key, hint.getValue())) {
                found("address hint " + key, "its network " + name + " is not defined", () -> s.forceDelete(key, hint.getValue().version()));
            }
        }
        for (NetworkConfig n : nets) {
            String owner = subnets.get(n.subnet());
            if (owner == null || !n.name().equals(State.subnetNetwork(owner))) {
                // a creation leases the subnet, then stores the record: one that did both between the
                // two reads above has its record here and not its lease; read the lease again
                String now = s.subnets().subnets().get(n.subnet());
                if (now != null && n.name().equals(State.subnetNetwork(now))) {
                    continue;
                }
                found("network " + n.name(), "subnet " + n.subnet() + " is not leased to it",
                        () -> s.subnets().reserve(n.subnet(), State.subnetOwner(n.name(), Liveness.finished())));
            }
        }
    }

    // ---- kernel objects without records ----------------------------------------------------------

    /**
     * netlib network rules no record wants (a removed network's, a released address's published
     * port). Read in the pass's order, here and now: the rules, then the notes, then the records. A
     * rule read first was either added by work that has its record by the time the records are read,
     * or by work still under way (its note is read next: all is left alone), or it is a leftover.
     */
    private void orphanRules() {
        if (!host.firewall.enabled() || anyLive) {
            return; // while someone works, a rule may be theirs before its record exists
        }
        List<NatRule> candidates = unwanted(host.firewall.installed());
        if (candidates.isEmpty()) {
            return;
        }
        // a second look in the same order, at these rules only: an unpublish or a disconnect that
        // began after the first look changes its record, then removes its rule (theirs to remove),
        // and a publish that failed meanwhile has taken its rule back
        for (NatRule r : unwanted(host.firewall.holding(candidates))) {
            if (candidates.contains(r)) {
                found("rule '" + r + "'", "no network or endpoint wants it", () -> journaled("remove " + r, j -> host.firewall.remove(j, List.of(r))));
            }
        }
    }

    /**
     * Those of {@code installed} (read first) that are the network layer's and that no record wants,
     * read after them, with the notes read in between: none while work is under way.
     */
    private List<NatRule> unwanted(List<NatRule> installed) {
        if (workUnderWayNow()) {
            return List.of(); // work began since the pass read the notes
        }
        List<NetworkConfig> nets = host.networks();
        Set<NatRule> wanted = new HashSet<>(); // a set: every installed rule is looked up in it (thousands of ports)
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
        List<NatRule> out = new ArrayList<>();
        for (NatRule r : installed) {
            if (ours(r, nets, devices) && !wanted.contains(r)) {
                out.add(r);
            }
        }
        return out;
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
        if (r.spec() instanceof HairpinRule h) {
            return bridge.test(h.bridge());
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
            KernelLink link = KernelLink.decode(l);
            if (link.netns() == null) {
                owned.add(link.name());
            }
        }
        for (NetworkConfig n : host.networks()) {
            for (String l : host.driver(n.driver()).strayLinks(n, hostLinks, owned)) {
                // the notes first, then the link: an operation that started after the notes were
                // read and is deleting it itself, or one that has deleted it since (a disconnect,
                // whose record was gone when the owners were read, a failed connect's rollback)
                if (liveLinksNow().contains(l) || host.host.findLink(l).isEmpty()) {
                    continue;
                }
                found("link " + l, "port of " + n.device() + " that no endpoint owns", () -> Driver.deleteLink(host.host, l));
            }
        }
    }

    /** True if an operation of a live owner has its note in any store now. */
    private boolean workUnderWayNow() {
        for (State s : host.states()) {
            if (!s.liveNotes().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The host-namespace links that operations of live owners name in their notes, read now. */
    private Set<String> liveLinksNow() {
        Set<String> out = new HashSet<>();
        for (State s : host.states()) {
            for (Pending p : s.liveNotes()) {
                p.links().stream().filter(l -> l.netns() == null).forEach(l -> out.add(l.name()));
            }
        }
        return out;
    }

    /** The record keys that operations of live owners in {@code s} name in their notes, read now. */
    private static Set<String> liveKeysNow(State s) {
        Set<String> out = new HashSet<>();
        for (Pending p : s.liveNotes()) {
            out.add(p.commitKey());
            out.addAll(p.removes());
        }
        return out;
    }
}
