package dev.netlib.linux.internal.rtnl;

import dev.netlib.error.Errno;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkConstants;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.netlink.NetlinkReply;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.IfindexChoice;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.spi.change.SetNeighbor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rtnetlink for one namespace: applies {@link KernelChange}s and reads links (and, through the
 * rtnl2 classes, addresses, routes, neighbours, FDB entries) over one NETLINK_ROUTE socket opened
 * in that namespace. Thread-safe (one call at a time).
 *
 * <p>{@link #apply} pipelines: the changes are encoded into one buffer and sent with one sendto,
 * then all acks are read. It sends earlier only when a change needs the ifindex of a link an
 * earlier change of the same call creates, renames or deletes (the kernel must have made it
 * first), and in chunks of {@value #MAX_MESSAGES_PER_SEND} messages so the acks fit the socket's
 * receive buffer.
 *
 * <p>Names become ifindexes without a lookup when the session knows them ({@link KnownIndexes}:
 * looked up once, asked for by its own creations, lo = 1 in a new namespace, veth peers created
 * into this namespace from another session), so a container endpoint costs two round trips (the
 * veth on the host's socket, the rest on the container's). Creations with follow-up requests ask
 * for their ifindexes ({@link CreateIndexes}, {@link IfindexChoice}) and the follow-ups use them,
 * so a refused create changes nothing.
 */
public final class Rtnl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Rtnl.class);

    /** Messages per sendto; each ack costs ~1 KiB of receive buffer (skb truesize). */
    static final int MAX_MESSAGES_PER_SEND = 512;
    /** Links asked for again per send when a dump falls back to them (see {@link #regetLinks}). */
    static final int REGET_PER_SEND = 16;

    private final NetlinkSocket socket;
    private final NamespaceFds namespaceFds;
    private final PeerIndexSink peerIndexes;
    /** A change as the command its failures name ({@link KernelException#operation()}). */
    private final Function<KernelChange, String> operations;
    private final KnownIndexes known = new KnownIndexes();
    /**
     * Reused by every {@link #apply} (which is synchronized): the batch, and one change at a time.
     * They start small and grow to what the session's batches need: a session is opened per
     * namespace, and a container's batch (address, route, links up) is a few hundred bytes.
     */
    private final MessageWriter pending = new MessageWriter(1024);
    private final MessageWriter scratch = new MessageWriter(256);

    /** A session over {@code socket}; veth peers born in other namespaces are not reported anywhere. */
    public Rtnl(NetlinkSocket socket, NamespaceFds namespaceFds) {
        this(socket, namespaceFds, KernelChange::command, (ns, name, index) -> { });
    }

    /**
     * A session over {@code socket} (opened in the namespace it serves). {@code peerIndexes} hears
     * the index of each veth peer this session creates in another namespace, so that namespace's
     * session can {@link #learnIndex learn} it. Failures name each change by {@code operations}
     * (for LinuxBackend: the command in its namespace, exactly as FakeKernel names it).
     */
    public Rtnl(NetlinkSocket socket, NamespaceFds namespaceFds, Function<KernelChange, String> operations,
            PeerIndexSink peerIndexes) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.socket = Objects.requireNonNull(socket, "socket");
        this.namespaceFds = Objects.requireNonNull(namespaceFds, "namespaceFds");
        this.peerIndexes = Objects.requireNonNull(peerIndexes, "peerIndexes");
    }

    /**
     * Records that link {@code name} of this namespace has ifindex {@code index}, known for certain
     * by the caller (a creation it made with that index, or lo = 1 in a namespace it just made), so
     * changes naming it need no lookup. See {@link KnownIndexes} for how it is kept true.
     */
    public void learnIndex(String name, int index) {
        known.learn(name, index);
    }

    /** Records that this namespace's lo has ifindex {@code index} (see {@link #learnIndex}); lo stays known across other namespaces' changes. */
    public void learnLoopbackIndex(int index) {
        known.learn("lo", index, true);
    }

    /**
     * Forgets the name-to-index pairs this session knows, but lo's and the bridges', so each other
     * name is looked up again: another session's change may have removed links here
     * ({@link PeerIndexSink#linksMayBeGoneElsewhere}), never lo or a bridge.
     */
    public void forgetKnownIndexes() {
        known.forgetWhatOtherNamespacesCanRemove();
    }

    /**
     * Messages per send when {@code wanted} are queued: each ack costs ~1 KiB of receive buffer
     * (skb truesize), so beyond {@link NetlinkSocket#SMALL_BATCH} the socket's buffers are grown
     * first (without SO_RCVBUFFORCE they stay at net.core.rmem_max, ~208 KiB: fewer acks at once).
     */
    private int maxMessagesPerSend(int wanted) {
        if (wanted <= NetlinkSocket.SMALL_BATCH) {
            return NetlinkSocket.SMALL_BATCH;
        }
        return socket.hasLargeBuffers() ? MAX_MESSAGES_PER_SEND : NetlinkSocket.SMALL_BATCH;
    }

    // ====================================================================== apply

    /**
     * Applies {@code changes} in order inside this namespace; every change is attempted even after
     * one fails. The first failure is thrown as a {@link KernelException} (errno, the kernel's
     * extended-ack text, the change's {@code command()} as operation) with
     * {@link KernelException#inBatch} saying which change failed and which took effect. Input the
     * kernel could never accept is refused with {@link InvalidConfigException} before anything is
     * sent.
     *
     * <p>Equivalent to: {@code ip -batch -} with each change's command.
     */
    public synchronized void apply(List<? extends KernelChange> changes) {
        new Batch(changes).run();
    }

    /**
     * Encodes {@code c} into {@code w} against placeholder indexes, sending nothing: whatever its
     * encoder refuses (InvalidConfigException, IllegalArgumentException) is thrown. {@link
     * Batch#checkRest} runs it on the changes not yet encoded before a batch's first send, so a
     * batch is never cut in half by bad input.
     */
    private void check(KernelChange c, MessageWriter w) {
        try {
            CreateIndexes placeholder = c instanceof CreateLink x && LinkEncoder.needsChosenIndex(x)
                    ? new CreateIndexes(1, 1) : CreateIndexes.KERNEL_PICKS;
            encode(w.reset(), c, AnyIndex.INSTANCE, AnyIndex.INSTANCE, placeholder);
        } catch (KernelException e) {
            // a kernel-side refusal is reported per change by the real run, with its batch index
        }
    }

    /**
     * Index 1 for every name and namespace id 0 for every namespace: {@link #check} encodes with
     * it, as only the encoders' checks of the input matter there. A class, not a lambda: it runs in
     * every batch, the first ones included (BENCHMARKS.md, "lambdas out of the cold path").
     */
    private static final class AnyIndex implements LinkIndexResolver, PeerNamespaces {
        static final AnyIndex INSTANCE = new AnyIndex();

        @Override
        public int indexOf(String name) {
            return 1;
        }

        @Override
        public int nsid(NetnsRef ns) {
            return 0;
        }

        @Override
        public int indexOf(int nsid, String name) {
            return 1;
        }
    }

    private void encode(MessageWriter w, KernelChange c, LinkIndexResolver links, PeerNamespaces peers, CreateIndexes indexes) {
        c.accept(new KernelChange.Visitor<Void>() {
            @Override
            public Void createLink(CreateLink x) {
                LinkEncoder.createLink(w, x, links, namespaceFds, peers, indexes);
                return null;
            }

            @Override
            public Void setLink(SetLink x) {
                LinkEncoder.setLink(w, x, links, namespaceFds);
                return null;
            }

            @Override
            public Void deleteLink(DeleteLink x) {
                LinkEncoder.deleteLink(w, x, links);
                return null;
            }

            @Override
            public Void deleteLinkGroup(DeleteLinkGroup x) {
                LinkEncoder.deleteLinkGroup(w, x);
                return null;
            }

            @Override
            public Void addAddress(AddAddress x) {
                AddressMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void deleteAddress(DeleteAddress x) {
                AddressMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void addRoute(AddRoute x) {
                RouteMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void deleteRoute(DeleteRoute x) {
                RouteMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void setNeighbor(SetNeighbor x) {
                NeighborMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void deleteNeighbor(DeleteNeighbor x) {
                NeighborMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void addFdb(AddFdb x) {
                FdbMessages.encode(x, w, links);
                return null;
            }

            @Override
            public Void deleteFdb(DeleteFdb x) {
                FdbMessages.encode(x, w, links);
                return null;
            }
        });
    }

    /** State of one {@link #apply} call. */
    private final class Batch implements LinkIndexResolver, PeerNamespaces {
        private final List<? extends KernelChange> changes;
        /** For each message in {@link #pending}: {change index, 1 if it is the change's first message}. */
        private final List<int[]> owners = new ArrayList<>();
        /** Names created, renamed or deleted by changes in {@link #pending}: their index is not known yet. */
        private final Set<String> touched = new HashSet<>();
        private final TreeMap<Integer, KernelException> failures = new TreeMap<>();
        private final Set<Integer> applied = new LinkedHashSet<>();
        private final Map<NetnsRef, Integer> nsids = new HashMap<>();
        /** Per change: the names its encoding took from {@link #known} (not looked up for it). */
        private final Map<Integer, List<String>> fromKnown = new HashMap<>();
        /** Per create in {@link #pending}: the indexes it asked for, learned once its create succeeds. */
        private final Map<Integer, CreateIndexes> chosen = new HashMap<>();
        private int current = -1;
        /** The change {@link #queue} works on last (never reset: {@link #checkRest} starts there). */
        private int queuing;
        /** Whether every change has passed its encoder's checks of the input (see {@link #checkRest}). */
        private boolean inputChecked;
        /** A delete is in {@link #pending}: known indexes may be gone once it is sent. */
        private boolean deletePending;
        /**
         * A delete by group is in {@link #pending}: its members are not named, and may include lo's
         * or a bridge's name; everything known is forgotten once it is sent. A delete by name
         * forgets that name and what other links' deletes can take along (see {@link KnownIndexes}).
         */
        private boolean wholeGroupDeletePending;
        /**
         * A move is in {@link #pending}: links over the moved one may be gone once it is sent. Unlike
         * a delete, later changes of the batch need not wait for it (their names are not the ones
         * that go).
         */
        private boolean movePending;

        Batch(List<? extends KernelChange> changes) {
            this.changes = changes;
        }

        void run() {
            pending.reset();
            prefetch();
            for (int i = 0; i < changes.size(); i++) {
                queue(i);
            }
            inputChecked = true; // each change's encoder ran (a failed one was checked in queue)
            flush();
            retryStale();
            if (!failures.isEmpty()) {
                Map.Entry<Integer, KernelException> first = failures.firstEntry();
                List<Integer> done = new ArrayList<>(applied);
                done.sort(null);
                throw first.getValue().inBatch(first.getKey(), done);
            }
        }

        /** Encodes change {@code i} behind the pending ones (sending those first when it needs their results). */
        private void queue(int i) {
            KernelChange c = changes.get(i);
            MessageWriter w = scratch.reset();
            current = i;
            queuing = i;
            CreateIndexes indexes = c instanceof CreateLink x ? chooseIndexes(x) : CreateIndexes.KERNEL_PICKS;
            try {
                encode(w, c, this, this, indexes);
            } catch (KernelException e) {
                if (!inputChecked) {
                    check(c, new MessageWriter(256)); // the encoder stopped early: bad input after the name is refused still
                }
                // e.g. a name that does not resolve: this change fails, the others go on; named
                // by the change itself, as the kernel's refusal of it would be
                failures.put(i, e.withOperation(operations.apply(c)));
                return;
            } finally {
                current = -1;
            }
            if (owners.size() + w.messageCount() > maxMessagesPerSend(owners.size() + w.messageCount())) {
                flush();
            }
            for (int m = 0; m < w.messageCount(); m++) {
                owners.add(new int[] {i, m == 0 ? 1 : 0});
            }
            pending.append(w);
            if (indexes.self() != 0) {
                chosen.put(i, indexes);
            }
            touch(c);
        }

        /**
         * A change that failed on an index taken from {@link #known}: the link may have been deleted,
         * or renamed away, by someone else, as when a veth deleted from another namespace took its
         * peer here along. The kernel then answers for the index it was sent, and not always ENODEV:
         * EINVAL for a stale IFLA_MASTER, ESRCH for a route delete whose RTA_OIF no longer matches
         * (fuzzer seed 77), EEXIST for a create whose new name is taken (rtnl_newlink() checks the
         * name before the driver looks up IFLA_LINK; seed 92), ENETUNREACH for a route whose gateway
         * the stale device cannot reach (seed 272). So whatever the error, the names the change used
         * are looked up again, and when one of them now has another index (or none) the change is
         * sent once more, alone, with the fresh indexes, and fails, if it does, as it would have with
         * them (ENODEV for a name that is gone, as {@code ip} says). When all are unchanged the
         * failure was real and stays. Only failures pay for the lookups.
         */
        private void retryStale() {
            List<Integer> stale = new ArrayList<>();
            for (Map.Entry<Integer, KernelException> e : failures.entrySet()) {
                List<String> used = fromKnown.get(e.getKey());
                if (used != null && !used.isEmpty() && !applied.contains(e.getKey()) && anyMoved(used)) {
                    stale.add(e.getKey());
                }
            }
            for (int i : stale) {
                fromKnown.remove(i);
                failures.remove(i);
                queue(i);
                flush();
            }
        }

        /** True when one of {@code names} has another index now than {@link #known} says; updates {@link #known}. */
        private boolean anyMoved(List<String> names) {
            boolean moved = false;
            for (String n : names) {
                int was = known.get(n);
                NetlinkMessage now = lookupLink(n);
                if (now == null) {
                    known.forget(n);
                    moved = true;
                } else if (LinkDecoder.index(now) != was) {
                    known.learn(n, now);
                    lookedUp.add(n);
                    moved = true;
                }
            }
            return moved;
        }

        /**
         * Indexes for a create whose follow-ups must reach exactly the links it makes, or whose veth
         * peer is born in another namespace (that namespace's session then knows the peer's index).
         */
        private CreateIndexes chooseIndexes(CreateLink c) {
            if (!IfindexChoice.wanted(c)) {
                return CreateIndexes.KERNEL_PICKS;
            }
            // A veth's peer takes the lower index, as when the kernel picks both: veth_newlink()
            // registers the peer first (so `veth v1 peer vp0` gives vp0 = 2, v1 = 3).
            int peer = c.kind() instanceof VethSpec ? IfindexChoice.next() : 0;
            return new CreateIndexes(IfindexChoice.next(), peer);
        }

        /** Names whose index this change's messages leave unknown until they are sent. */
        private void touch(KernelChange c) {
            if (c instanceof DeleteLinkGroup || c instanceof DeleteLink) {
                if (c instanceof DeleteLink d) {
                    touched.add(d.name());
                } else {
                    wholeGroupDeletePending = true;
                }
                // any known name but lo and the bridges may be gone: a group's members (bridges
                // too), or a deleted veth's peer, which the kernel removes with it (and whose name
                // this change does not say), a macvlan over a deleted link; forgotten after the
                // send, here and in the other namespaces' sessions, so the next change naming one
                // looks it up again (fuzzer seed 2959: a
                // macvlan moved to B went with its lower deleted in A, B made a link that took its
                // index, and B's session added an address meant for the macvlan to that link)
                deletePending = true;
            } else {
                if (c instanceof SetLink s && s.changes().netns() != null) {
                    movePending = true; // a vxlan over the moved link goes, wherever it is
                }
                touched.addAll(c.accept(new NamesTouched()));
            }
        }

        /** One pipelined RTM_GETLINK per distinct unknown name the link changes need, before any change is sent. */
        private void prefetch() {
            Set<String> names = new LinkedHashSet<>();
            Set<String> madeHere = new HashSet<>();
            for (KernelChange c : changes) {
                for (String n : namesUsed(c)) {
                    if (!madeHere.contains(n) && known.get(n) == 0) {
                        names.add(n);
                    }
                }
                if (c instanceof CreateLink x) {
                    madeHere.add(x.name());
                } else if (c instanceof SetLink x && x.newName() != null) {
                    madeHere.add(x.newName());
                }
            }
            if (names.isEmpty()) {
                return;
            }
            MessageWriter w = new MessageWriter();
            List<String> order = new ArrayList<>(names);
            for (String n : order) {
                LinkEncoder.getLinkByName(w, n);
            }
            List<NetlinkReply> replies = socket.transact(w);
            for (int i = 0; i < order.size(); i++) {
                NetlinkReply r = replies.get(i);
                if (r.isSuccess() && !r.messages().isEmpty()) {
                    known.learn(order.get(i), r.messages().get(0));
                    lookedUp.add(order.get(i));
                }
            }
        }

        /** Names looked up during this call: a failure on them is real, not a stale entry. */
        private final Set<String> lookedUp = new HashSet<>();

        @Override
        public int indexOf(String name) {
            if (deletePending || touched.contains(name)) {
                flush(); // the kernel must make (or rename, or delete) it before we can ask
            }
            int idx = known.get(name);
            if (idx > 0) {
                if (!lookedUp.contains(name) && current >= 0) {
                    List<String> names = fromKnown.get(current); // no computeIfAbsent lambda on the first creates' path
                    if (names == null) {
                        names = new ArrayList<>(2);
                        fromKnown.put(current, names);
                    }
                    names.add(name);
                }
                return idx;
            }
            NetlinkMessage link = lookupLink(name);
            if (link == null) {
                throw new NotFoundException(Errno.ENODEV, "ip link show dev " + name, "link " + name + " does not exist");
            }
            known.learn(name, link);
            lookedUp.add(name);
            return LinkDecoder.index(link);
        }

        /**
         * The exception for a refused message; when the kernel pointed at an attribute
         * (NLMSGERR_ATTR_OFFS) its name is added after the kernel's words.
         */
        private KernelException failure(NetlinkReply r, int message, String operation) {
            int offs = r.ack().extAckOffset();
            String path = offs >= 0 ? LinkRequestPaths.pathAt(pending.buffer(), pending.messageOffset(message), offs) : null;
            if (path == null) {
                return r.exception(operation);
            }
            String text = r.kernelMessage().map(t -> t + " (at " + path + ")").orElse("invalid " + path);
            return KernelException.of(r.errno().get(), operation, text);
        }

        @Override
        public int nsid(NetnsRef ns) {
            Integer known = nsids.get(ns);
            if (known == null) {
                checkRest(); // a namespace id given to a peer namespace stays: none for a batch refused as bad input
                known = ensureNamespaceId(namespaceFds.fdOf(ns), ns.describe());
                nsids.put(ns, known);
            }
            return known;
        }

        @Override
        public int indexOf(int nsid, String name) {
            if (touched.contains(name)) {
                flush();
            }
            MessageWriter w = new MessageWriter();
            LinkEncoder.getLinkByName(w, name, nsid);
            NetlinkReply r = socket.transact(w).get(0);
            if (!r.isSuccess() || r.messages().isEmpty()) {
                throw new NotFoundException(Errno.ENODEV, "ip link show dev " + name + " (netns id " + nsid + ")",
                        r.kernelMessage().orElse("link " + name + " does not exist there"));
            }
            return LinkDecoder.index(r.messages().get(0));
        }

        /**
         * Runs the input checks of the encoders of the changes not yet encoded (the one being
         * encoded included), once, before anything of the batch is sent or made in the kernel: a
         * send in the middle of the batch (a change needs an index the pending ones make, or the
         * batch outgrows one send) or a new namespace id. A batch that is encoded to its end before
         * its first send (a container's two batches are) needs no extra pass: each encoder's
         * checks ran on its own encoding, so every change is encoded once.
         */
        private void checkRest() {
            if (inputChecked) {
                return;
            }
            inputChecked = true;
            MessageWriter w = new MessageWriter(256); // not scratch: it may hold the change being encoded
            for (int k = queuing; k < changes.size(); k++) {
                check(changes.get(k), w);
            }
        }

        private void flush() {
            if (owners.isEmpty()) {
                return;
            }
            checkRest();
            List<NetlinkReply> replies = socket.transact(pending);
            for (int m = 0; m < replies.size(); m++) {
                int change = owners.get(m)[0];
                boolean primary = owners.get(m)[1] == 1;
                NetlinkReply r = replies.get(m);
                if (r.isSuccess()) {
                    if (primary) {
                        applied.add(change);
                    }
                } else if (!failures.containsKey(change)) {
                    failures.put(change, failure(r, m, operations.apply(changes.get(change))));
                }
            }
            undoHalfCreated();
            for (String n : touched) {
                known.forget(n);
            }
            touched.clear();
            learnCreated();
            if (deletePending || movePending) {
                if (wholeGroupDeletePending) {
                    known.clear(); // any of them may be gone
                } else {
                    known.forgetWhatOtherNamespacesCanRemove(); // a veth's peer, macvlans over the link...; not lo or a bridge
                }
                peerIndexes.linksMayBeGoneElsewhere();
                deletePending = false;
                wholeGroupDeletePending = false;
                movePending = false;
            }
            pending.reset();
            owners.clear();
        }

        /**
         * A create the kernel made whose follow-up failed (the peer's master is no bridge, say)
         * must change nothing, as FakeKernel's refusal of the whole request changes nothing: the
         * links it made are deleted again by the index they were made with (deleting one end of a
         * veth deletes both), and the change counts as failed, not applied.
         */
        private void undoHalfCreated() {
            if (failures.isEmpty()) {
                return; // the usual case: nothing to undo, and nothing to allocate for it
            }
            MessageWriter undo = new MessageWriter();
            List<Integer> undone = new ArrayList<>();
            for (int i : failures.keySet()) {
                CreateIndexes idx = chosen.get(i);
                if (!applied.contains(i) || idx == null || !(changes.get(i) instanceof CreateLink c)) {
                    continue;
                }
                // the end that lives here: the main device, or a veth's peer made here
                int here = c.attributes().netns() == null ? idx.self()
                        : c.kind() instanceof VethSpec v && v.peer().netns() == null ? idx.peer() : 0;
                if (here != 0) {
                    LinkEncoder.deleteLinkByIndex(undo, here);
                    undone.add(i);
                }
            }
            if (undone.isEmpty()) {
                return;
            }
            List<NetlinkReply> replies = socket.transact(undo);
            for (int k = 0; k < undone.size(); k++) {
                if (replies.get(k).isSuccess()) {
                    applied.remove(undone.get(k));
                } else {
                    LOG.warn("could not undo the half-made {}: {}", operations.apply(changes.get(undone.get(k))),
                            replies.get(k).exception("ip link del").getMessage());
                }
            }
        }

        /** The links the sent creates made have the indexes they asked for (the create was refused otherwise). */
        private void learnCreated() {
            for (Map.Entry<Integer, CreateIndexes> e : chosen.entrySet()) {
                if (!applied.contains(e.getKey())) {
                    continue;
                }
                CreateLink c = (CreateLink) changes.get(e.getKey());
                CreateIndexes idx = e.getValue();
                if (c.attributes().netns() == null) {
                    known.learn(c.name(), idx.self(), c.kind() instanceof BridgeSpec);
                } else {
                    peerIndexes.learned(c.attributes().netns(), c.name(), idx.self());
                }
                if (c.kind() instanceof VethSpec v && v.peerName() != null && idx.peer() != 0) {
                    NetnsRef peerNs = v.peer().netns();
                    if (peerNs == null) {
                        known.learn(v.peerName(), idx.peer());
                    } else {
                        peerIndexes.learned(peerNs, v.peerName(), idx.peer());
                    }
                }
            }
            chosen.clear();
        }
    }

    /** Names of existing links a change refers to by index (masters, parents, targets). */
    private static List<String> namesUsed(KernelChange c) {
        return c.accept(new NamesUsed());
    }

    /** The kernel's RTM_NEWLINK for {@code name}, or null when there is no such link. */
    private NetlinkMessage lookupLink(String name) {
        MessageWriter w = new MessageWriter();
        LinkEncoder.getLinkByName(w, name);
        NetlinkReply r = socket.transact(w).get(0);
        if (!r.isSuccess() || r.messages().isEmpty()) {
            return null;
        }
        return r.messages().get(0);
    }

    // ====================================================================== read

    /**
     * Every link of the namespace. A dump that other processes keep interrupting is answered link
     * by link instead (see {@link #regetLinks}), never with an exception.
     *
     * <p>Equivalent to: {@code ip -d link show}.
     */
    public synchronized List<LinkInfo> links() {
        List<NetlinkMessage> raw = dumpLinks();
        Map<Integer, String> names = namesOf(raw);
        List<LinkInfo> out = new ArrayList<>(raw.size());
        for (NetlinkMessage m : raw) {
            out.add(LinkDecoder.decode(m, names::get));
        }
        return out;
    }

    private List<NetlinkMessage> dumpLinks() {
        return socket.dump(RtnlConstants.RTM_GETLINK, new byte[RtnlConstants.IFINFOMSG_SIZE], "ip link show",
                m -> m.type() == RtnlConstants.RTM_NEWLINK ? m.copy() : null, this::regetLinks);
    }

    /**
     * The answer to a link dump that other processes kept interrupting (they create or delete
     * links faster than the table can be read): every link the last attempt saw is asked for again
     * by its index, pipelined, {@link #REGET_PER_SEND} per send; the ones gone since
     * (ENODEV) are left out. Since Linux 6.x a link dump resumes by ifindex, so every link that
     * existed throughout the call is in the answer once, with its state as of the re-read; a link
     * created or deleted meanwhile may be in it or not, as with {@code ip link}, which prints the
     * interrupted dump with a warning.
     */
    private List<NetlinkMessage> regetLinks(List<NetlinkMessage> lastAttempt) {
        // the answers (a bridge's RTM_NEWLINK is ~4 KiB with its stats and bridge attributes)
        // must fit the default receive buffer (net.core.rmem_default, ~208 KiB): ENOBUFS otherwise
        List<Integer> indexes = new ArrayList<>(new LinkedHashSet<>(lastAttempt.stream().map(LinkDecoder::index).toList()));
        List<NetlinkMessage> out = new ArrayList<>(indexes.size());
        for (int from = 0; from < indexes.size(); from += REGET_PER_SEND) {
            List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + REGET_PER_SEND));
            MessageWriter w = new MessageWriter();
            chunk.forEach(i -> LinkEncoder.getLinkByIndex(w, i));
            List<NetlinkReply> replies = socket.transact(w);
            for (int k = 0; k < chunk.size(); k++) {
                NetlinkReply r = replies.get(k);
                if (r.isSuccess()) {
                    r.messages().stream().filter(m -> m.type() == RtnlConstants.RTM_NEWLINK).forEach(m -> out.add(m.copy()));
                } else if (r.errno().get().number() != Errno.ENODEV.number()) {
                    throw r.exception("ip link show");
                }
            }
        }
        return out;
    }

    /**
     * One link by name, or empty when there is none.
     *
     * <p>Equivalent to: {@code ip -d link show dev NAME}.
     */
    public synchronized Optional<LinkInfo> link(String name) {
        MessageWriter w = new MessageWriter();
        LinkEncoder.getLinkByName(w, name);
        NetlinkReply r = socket.transact(w).get(0);
        if (!r.isSuccess()) {
            if (r.errno().get().number() == Errno.ENODEV.number()) {
                return Optional.empty();
            }
            throw r.exception("ip link show dev " + name);
        }
        if (r.messages().isEmpty()) {
            return Optional.empty();
        }
        NetlinkMessage m = r.messages().get(0);
        // Name the master / peer / parent / VXLAN device: decode once to learn their indexes,
        // fetch those links in one pipelined request, decode again with the names.
        Map<Integer, String> names = new HashMap<>();
        LinkInfo first = LinkDecoder.decode(m, i -> {
            names.put(i, null);
            return null;
        });
        names.put(first.index(), first.name());
        List<Integer> wanted = new ArrayList<>();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue() == null) {
                wanted.add(e.getKey());
            }
        }
        if (!wanted.isEmpty()) {
            MessageWriter g = new MessageWriter();
            for (int i : wanted) {
                LinkEncoder.getLinkByIndex(g, i);
            }
            List<NetlinkReply> rs = socket.transact(g);
            for (int k = 0; k < wanted.size(); k++) {
                if (rs.get(k).isSuccess() && !rs.get(k).messages().isEmpty()) {
                    names.put(wanted.get(k), LinkDecoder.name(rs.get(k).messages().get(0)));
                }
            }
        }
        return Optional.of(LinkDecoder.decode(m, names::get));
    }

    /** Index to name of every link, for decoders of other objects. */
    private Map<Integer, String> linkNames() {
        return namesOf(dumpLinks());
    }

    private static Map<Integer, String> namesOf(List<NetlinkMessage> links) {
        Map<Integer, String> names = new HashMap<>();
        for (NetlinkMessage m : links) {
            names.put(LinkDecoder.index(m), LinkDecoder.name(m));
        }
        return names;
    }

    /** Equivalent to: {@code ip addr show}. */
    public synchronized List<AddressInfo> addresses() {
        Map<Integer, String> names = linkNames();
        return AddressMessages.dump(socket, names::get);
    }

    /** Routes of all tables but local (255), IPv4 and IPv6. Equivalent to: {@code ip route show table all}. */
    public synchronized List<RouteInfo> routes() {
        Map<Integer, String> names = linkNames();
        return RouteMessages.dump(socket, names::get);
    }

    /** Equivalent to: {@code ip neigh show}. */
    public synchronized List<NeighborInfo> neighbors() {
        Map<Integer, String> names = linkNames();
        return NeighborMessages.dump(socket, names::get);
    }

    /** Equivalent to: {@code bridge fdb show}. */
    public synchronized List<FdbInfo> fdb() {
        Map<Integer, String> names = linkNames();
        return FdbMessages.dump(socket, names::get);
    }

    // ====================================================================== nsid

    /**
     * The id this namespace gives the namespace behind {@code targetNsFd} (RTM_GETNSID with
     * NETNSA_FD), or -1 when it has none (NETNSA_NSID_NOT_ASSIGNED).
     *
     * <p>Equivalent to: {@code ip netns list-id} (for one namespace).
     */
    public synchronized int namespaceId(int targetNsFd) {
        MessageWriter w = nsidRequest(RtnlConstants.RTM_GETNSID, targetNsFd);
        w.endMessage();
        NetlinkReply r = socket.transact(w).get(0);
        if (!r.isSuccess()) {
            throw r.exception("ip netns list-id");
        }
        for (NetlinkMessage m : r.messages()) {
            if (m.type() == RtnlConstants.RTM_NEWNSID) {
                OptionalInt id = m.attributes(RtnlConstants.RTGENMSG_SIZE, "RTM_NEWNSID", NetnsaConstants.NAMES)
                        .s32(NetnsaConstants.NETNSA_NSID);
                return id.isPresent() && id.getAsInt() >= 0 ? id.getAsInt() : -1;
            }
        }
        return -1;
    }

    /**
     * The id of the namespace behind {@code fd} as seen from here, assigning the next free one
     * when it has none. Equivalent to: {@code ip netns set NAME auto}.
     */
    private int ensureNamespaceId(int fd, String what) {
        int id = namespaceId(fd);
        if (id >= 0) {
            return id;
        }
        MessageWriter w = nsidRequest(RtnlConstants.RTM_NEWNSID, fd);
        w.attrS32(NetnsaConstants.NETNSA_NSID, -1); // -1: the kernel picks (alloc_netid)
        w.endMessage();
        NetlinkReply r = socket.transact(w).get(0);
        if (!r.isSuccess() && r.errno().get().number() != Errno.EEXIST.number()) {
            throw r.exception("ip netns set " + what + " auto");
        }
        id = namespaceId(fd);
        if (id < 0) {
            throw new KernelException(Errno.ENOENT, "ip netns set " + what + " auto", "no namespace id was assigned");
        }
        return id;
    }

    /** An RTM_GETNSID / RTM_NEWNSID request about the namespace behind {@code fd}, left open for more attributes. */
    private static MessageWriter nsidRequest(int type, int fd) {
        MessageWriter w = new MessageWriter();
        w.beginMessage(type, NetlinkConstants.NLM_F_ACK);
        w.putU8(0).putZeros(3); // struct rtgenmsg, padded
        w.attrU32(NetnsaConstants.NETNSA_FD, fd);
        return w;
    }

    /** The socket this Rtnl speaks through. */
    public NetlinkSocket socket() {
        return socket;
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        socket.close();
        LOG.trace("rtnl closed");
    }
}
