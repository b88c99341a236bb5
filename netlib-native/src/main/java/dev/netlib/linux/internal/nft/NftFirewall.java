package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_APPEND;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_NONREC;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkConstants;
import dev.netlib.linux.internal.netlink.NetlinkReply;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.linux.internal.netns.LinuxNetns;
import dev.netlib.linux.internal.netns.NetnsManager;
import dev.netlib.linux.internal.nft.uapi.NftConstants;
import dev.netlib.lock.Backoff;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallPlan;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.NftChain;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.NftRuleText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * netlib's nftables table in one namespace, driven over a NETLINK_NETFILTER socket opened there.
 * It remembers nothing between calls: several processes (and several handles in one) share the
 * table, so every change is planned against the kernel's state read just before it.
 *
 * <p>Each {@link #apply} reads, in one send, the ruleset generation, whether the table exists and
 * each element the change names (with the comment saying whose it is), plus the keyed rules of
 * chain postrouting when masquerade or SNAT rules change. It plans with {@link FirewallPlan} and
 * sends one nf_tables transaction carrying that generation id (NFNL_BATCH_GENID): if anything in
 * the namespace's ruleset was committed since the read, the kernel refuses the whole batch with
 * ERESTART and netlib reads and plans again. The batch holds the layout when the table is missing,
 * then exactly this change's element and rule additions and deletions (elements added with
 * NLM_F_EXCL: a key taken meanwhile is EEXIST, never overwritten). Any failing message aborts the
 * transaction, so nothing changes; the error names the nft command of the failing message and
 * carries the kernel's extended-ack text.
 *
 * <p>After a removal, the table is removed if it is empty, with nothing read first: one transaction
 * deletes the layout's fixed rules by the handles the layout gives them, then the sets, the chains
 * and the table, all with NLM_F_NONREC, so the kernel itself refuses with EBUSY (and the whole
 * transaction with it) if anything is still in them: a set or map that holds an element
 * (nf_tables_delset() checks the set's element count, nelems, under that flag; without it a set
 * goes with its elements), a chain that holds a rule the transaction does not delete (a keyed rule,
 * or a rule another tool added), a table that holds another object. Nothing is read for this, so
 * the check costs one send beside one published port as beside thousands; the kernel checks it all
 * under its commit mutex, so the table goes exactly when it is empty in the kernel, whoever's rules
 * were in it. Only when a fixed rule is not at its handle (deleted and added again by hand) does
 * netlib read the table's rules and delete those, guarded by the generation it read.
 *
 * <p>Netlib writers never refuse each other's batches: every change holds the namespace's
 * host-wide {@link NftLock} (a lock in this JVM, then an fcntl lock on {@code
 * /run/netlib/nft/INODE.lock}) from the read to the answer. Before it, three netlib processes
 * changing one ruleset moved each other's generation so often that one could fail with EBUSY
 * after all its tries. The generation guard and the retries stay for writers that take no such
 * lock (nft, Docker, firewalld); {@link #generationRetries()} counts their effect. The lock is
 * also what makes a read of netlib's own elements exact: nf_tables_commit() bumps the generation
 * (base_seq) before it switches to the new one and before the set backends commit (pipapo swaps in
 * its new lookup table last), so a read that meets another writer's commit can get the new
 * generation id with the old elements, and a batch planned on it passes the guard. Against a writer
 * that edits other objects that only costs a retry or an EEXIST.
 *
 * <p>No batch message carries NLM_F_ACK: the kernel processes a batch synchronously within the
 * send and always reports errors. (With acks, a batch refused for its generation id would leave a
 * reader waiting for acks that never come.)
 */
public final class NftFirewall implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NftFirewall.class);
    /**
     * How often a batch refused for a changed generation is planned again. Writers that take no
     * {@link NftLock} (nft, Docker) can refuse netlib's batches over and over (every commit moves
     * the generation); before the lock, eight immediate retries let one of three netlib processes
     * starve (NatProcessesKernelTest saw it), so retries after the first wait a random, growing
     * while ({@link #backOff}) and there are more of them.
     */
    static final int GENERATION_RETRIES = 32;
    /** The longest wait between two tries, in microseconds. */
    private static final long MAX_BACKOFF_MICROS = 20_000;

    /**
     * Batches refused with ERESTART and planned again, in this JVM since it started (apply and the
     * empty table's removal). Netlib writers hold the namespace's {@link NftLock} from read to send,
     * so only a writer that is not netlib (nft, Docker, a test's unlocked firewall) makes it grow.
     */
    private static final AtomicLong RETRIES = new AtomicLong();

    private final NetlinkSocket socket;
    private final NftLock lock;
    /** For tests: the generation id used for the next batch instead of the one read. */
    private Integer forcedGeneration;
    /** How many sends the last apply needed (2+ when a generation change forced a new plan). */
    private int lastAttempts;
    /** This firewall's share of {@link #RETRIES}. */
    private long retries;

    /** Owns {@code socket}, a NETLINK_NETFILTER socket of the namespace {@code lock} names (closed on close). */
    NftFirewall(NetlinkSocket socket, NftLock lock) {
        if (socket.protocol() != NetlinkConstants.NETLINK_NETFILTER) {
            throw new IllegalArgumentException("nf_tables needs a NETLINK_NETFILTER socket, got protocol " + socket.protocol());
        }
        this.socket = socket;
        this.lock = lock;
    }

    /**
     * Opens a NETLINK_NETFILTER socket in the calling thread's network namespace and owns it; its
     * changes take that namespace's host-wide lock.
     *
     * @return the firewall of the calling thread's namespace
     */
    public static NftFirewall open() {
        long inode = NetnsManager.currentThreadInode(); // a socket belongs to the namespace it was opened in
        return new NftFirewall(NetlinkSocket.open(NetlinkConstants.NETLINK_NETFILTER), NftLock.of(inode));
    }

    /**
     * Opens a NETLINK_NETFILTER socket in the calling thread's network namespace, which must be
     * {@code ns}, and owns it; its changes take {@code ns}'s host-wide lock. For a task that {@link
     * NetnsManager#runInternal} or {@link NetnsManager#runInternalWhereCallerIs} runs in {@code ns}:
     * they have just checked that the thread is there.
     *
     * @param ns the namespace the calling thread is in
     * @return the firewall of {@code ns}
     */
    public static NftFirewall openIn(LinuxNetns ns) {
        // No readlink of /proc/thread-self/ns/net here, unlike open(): the lock's inode must name the
        // namespace the socket is born in, and both executors proved that already. ns.inode() was
        // read from the nsfs fd ns holds open, and an open nsfs fd (like a thread inside) keeps the
        // namespace alive, so while ns is held no other namespace can have that inode (the kernel
        // frees an nsfs inode number only with its namespace). The executor compared the thread's
        // /proc/thread-self/ns/net with that inode just before this task: the worker after its
        // setns (and again after any task that may have switched it), runInternalWhereCallerIs on
        // the caller's thread right before the call. Nothing on the thread changes namespace in
        // between, which is the guarantee the same namespace's rtnetlink socket is opened on.
        return new NftFirewall(NetlinkSocket.open(NetlinkConstants.NETLINK_NETFILTER), NftLock.of(ns.inode()));
    }

    /** For tests: a firewall in the calling thread's namespace that takes no lock, as a writer that is not netlib. */
    static NftFirewall openUnlocked() {
        return new NftFirewall(NetlinkSocket.open(NetlinkConstants.NETLINK_NETFILTER), NftLock.NONE);
    }

    /**
     * The rules of netlib's table as the kernel has them now, whoever added them: keyed rules by
     * their comment in handle order, then the rules named by the elements' comments, by key.
     * Equivalent to: {@code nft list table ip netlib}.
     */
    public synchronized List<FirewallRule> rules() {
        return NftTableReader.rules(socket);
    }

    /**
     * The installed rules that hold a place one of {@code rules} takes ({@link
     * dev.netlib.spi.nft.FirewallState#holders}), read as a change is planned: one send asks for
     * exactly those elements (and the keyed rules of chain postrouting when a rule has any), so the
     * cost does not grow with the table. Without the lock, like {@code nft get element}: a removal
     * that follows plans again under it, on its own read.
     * Equivalent to: {@code nft get element ip netlib published '{ tcp . 8080 }'}.
     */
    public synchronized List<FirewallRule> holding(List<FirewallRule> rules) {
        if (rules.isEmpty()) {
            return List.of();
        }
        return NftState.read(socket, rules.stream().map(FirewallChange::add).toList()).holders(rules);
    }

    /**
     * Applies the changes in one atomic transaction planned against the kernel's current state,
     * holding the namespace's host-wide {@link NftLock} from the read to the answer (and through the
     * empty table's removal), so that no other netlib writer moves the generation in between.
     * Equivalent to: {@code nft -f FILE} with the returned commands.
     *
     * @param changes the rules to add and remove
     * @return the commands the change was equivalent to (valid shell)
     */
    public synchronized List<String> apply(List<FirewallChange> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        try (NftLock.Held held = lock.acquire()) {
            return applyLocked(changes);
        }
    }

    private List<String> applyLocked(List<FirewallChange> changes) {
        for (int attempt = 1; ; attempt++) {
            lastAttempts = attempt;
            NftState state = NftState.read(socket, changes);
            FirewallPlan plan = FirewallPlan.of(state, changes); // EEXIST/ENOENT before anything is sent
            if (plan.operations().isEmpty()) {
                return List.of();
            }
            int gen = forcedGeneration != null ? forcedGeneration : state.generation();
            forcedGeneration = null;
            boolean replaced = state.foreign() && plan.createTable();
            if (replaced) {
                LOG.warn("replacing table ip {}: it exists without netlib's layout of sets and maps", NftLayout.TABLE);
            }
            List<String> commands = plan.commands(); // what the call returns, and names each message of the batch
            Batch batch = build(plan, commands, changes, gen, replaced);
            long t0 = System.nanoTime();
            List<NetlinkReply> replies = socket.transact(batch.writer);
            if (LOG.isTraceEnabled()) {
                LOG.trace("nf_tables batch of {} messages ({} bytes) answered in {} us", batch.writer.messageCount(), batch.writer.size(),
                        (System.nanoTime() - t0) / 1000);
            }
            if (restarted(replies) && attempt < GENERATION_RETRIES) {
                retried();
                LOG.debug("nf_tables generation {} changed before the batch ran (a writer that is not netlib); planning again ({})",
                        gen, attempt);
                backOff(attempt);
                continue;
            }
            failure(replies, batch.operations, gen);
            if (plan.removes() && removeIfEmpty()) {
                commands = plan.withTableDeleted().commands();
            }
            if (!replaced) {
                return commands;
            }
            List<String> cmds = new ArrayList<>();
            cmds.add(NftLayout.deleteCommand()); // the table without netlib's layout went first
            cmds.addAll(commands);
            return cmds;
        }
    }

    /**
     * Waits before try {@code attempt + 1}: not at all after the first refusal (a single concurrent
     * commit is the common case), then a random while of up to 2^attempt * 100 us, capped, so that
     * processes retrying together fall out of step instead of refusing each other again.
     */
    static void backOff(int attempt) {
        Backoff.pause(attempt, 2, 100, MAX_BACKOFF_MICROS);
    }

    private static boolean restarted(List<NetlinkReply> replies) {
        NetlinkReply begin = replies.get(0);
        return !begin.isSuccess() && begin.errno().get().number() == NftConstants.ERESTART;
    }

    /** Throws the first failure of a batch (later ones are usually its consequences). */
    private static void failure(List<NetlinkReply> replies, List<String> operations, int gen) {
        for (int i = 0; i < replies.size(); i++) {
            NetlinkReply r = replies.get(i);
            if (!r.isSuccess()) {
                KernelException e = i == 0 && r.errno().get().number() == NftConstants.ERESTART
                        ? KernelException.of(Errno.EBUSY, "nft batch (generation " + gen + ")",
                                "the ruleset kept changing while netlib applied its batch (" + GENERATION_RETRIES + " tries)")
                        : r.exception(operations.get(i));
                e.inBatch(i, List.of());
                throw e;
            }
        }
    }

    /** For tests: sends operations planned elsewhere (no read, no plan) against the current generation. */
    synchronized void applyPlanned(List<FirewallPlan.Operation> operations, List<FirewallChange> changes) {
        try (NftLock.Held held = lock.acquire()) {
            int gen = generation();
            FirewallPlan plan = new FirewallPlan(false, operations, changes, false);
            Batch b = build(plan, plan.commands(), changes, gen, false);
            failure(socket.transact(b.writer), b.operations, gen);
        }
    }

    private void retried() {
        retries++;
        RETRIES.incrementAndGet();
    }

    /** Batches refused for a moved generation and planned again in this JVM so far (see {@link #RETRIES}). */
    static long generationRetries() {
        return RETRIES.get();
    }

    /** This firewall's batches refused for a moved generation and planned again so far. */
    synchronized long retries() {
        return retries;
    }

    synchronized int lastAttempts() {
        return lastAttempts;
    }

    /** For tests: make the next batch carry this (stale) generation id. */
    synchronized void forceGenerationOnce(int gen) {
        this.forcedGeneration = gen;
    }

    private record Batch(MessageWriter writer, List<String> operations) {}

    /** The batch of {@code plan}; {@code commands} is {@code plan.commands()}, one per message after the begin (and the replaced table's delete). */
    private static Batch build(FirewallPlan plan, List<String> commands, List<FirewallChange> changes, int gen, boolean replace) {
        MessageWriter w = new MessageWriter(1024 + 256 * plan.operations().size()).nestedFlag(true);
        List<String> ops = new ArrayList<>();
        NftMessages.batchBegin(w, gen);
        ops.add("nft batch begin (generation " + gen + ")");
        if (replace) {
            NftMessages.delTable(w, "ip", NftLayout.TABLE, 0);
            ops.add(NftLayout.deleteCommand());
        }
        if (plan.createTable()) {
            NftMessages.newTable(w, "ip", NftLayout.TABLE, NLM_F_CREATE);
            for (NftChain ch : NftLayout.CHAINS) {
                NftMessages.newChain(w, NftLayout.TABLE, ch, NLM_F_CREATE);
            }
            for (NftSets s : NftSets.ALL) {
                NftSetMessages.newSet(w, s, s.id(), NLM_F_CREATE);
            }
            for (NftRule r : RuleCompiler.fixed()) {
                NftMessages.newRule(w, NftLayout.TABLE, r, NLM_F_CREATE | NLM_F_APPEND);
            }
        }
        Map<String, NftRule> compiled = new HashMap<>(); // by chain, text and comment
        for (FirewallChange ch : changes) {
            if (ch.kind() == FirewallChange.Kind.ADD) {
                for (NftRule r : RuleCompiler.compile(ch.rule())) {
                    compiled.put(r.chain().name() + "\n" + r.text() + "\n" + r.comment(), r);
                }
            }
        }
        for (FirewallPlan.Operation op : plan.operations()) {
            if (op instanceof FirewallPlan.AddElement a) {
                NftSetMessages.newElement(w, a.element(), NftSets.of(a.element().set()).id(), NLM_F_CREATE | NLM_F_EXCL);
            } else if (op instanceof FirewallPlan.DeleteElement d) {
                NftSetMessages.delElement(w, d.element(), 0);
            } else if (op instanceof FirewallPlan.AddRule a) {
                NftRuleText t = a.rule();
                NftMessages.newRule(w, NftLayout.TABLE, compiled.get(t.chain().name() + "\n" + t.text() + "\n" + t.comment()),
                        NLM_F_CREATE | NLM_F_APPEND);
            } else if (op instanceof FirewallPlan.DeleteRule d) {
                NftMessages.delRule(w, NftLayout.TABLE, d.rule().chain(), d.handle(), 0);
            }
        }
        ops.addAll(commands); // the layout's (createCommands' order, as written above), then one per operation
        NftMessages.batchEnd(w);
        ops.add("nft batch end");
        return new Batch(w, ops);
    }

    /**
     * Removes the table if the kernel finds it empty (see the class comment); true if it did. First
     * one batch with nothing read before it ({@link #removeLayout}); only when the layout's fixed rules
     * are not at their handles does it read the table's rules ({@link #removeIfOnlyFixedRules}).
     */
    private boolean removeIfEmpty() {
        try {
            Boolean removed = removeLayout();
            return removed != null ? removed : removeIfOnlyFixedRules();
        } catch (RuntimeException e) {
            // the change itself is committed: a caller told it failed would undo what did happen
            // (Backend#applyFirewall); an empty table left over goes with the next removal
            LOG.warn("could not check whether table ip {} is empty after a removal: {}", NftLayout.TABLE, e.toString());
            return false;
        }
    }

    /**
     * Deletes the layout in one batch, read nothing first: the fixed rules by the handles the layout
     * gives them (chains, sets and rules of a table take handles from one counter, and the layout is
     * made in one batch: {@link NftLayout#FIRST_RULE_HANDLE}), then every set, chain and the table
     * with NLM_F_NONREC. The kernel refuses the whole batch (EBUSY) while anything else is in the
     * table: a set's element (nf_tables_delset checks nelems), a keyed rule or another tool's rule
     * (nf_tables_delrule lowers the chain's use count within the transaction, so only rules the batch
     * does not delete keep a chain busy), another tool's chain or set (the table's use count). No
     * generation guard: the kernel checks all of it while it holds the commit mutex, whatever was
     * committed before. Taking the empty table's check out of a read saves two round trips on every
     * removal, as most removals leave the table in use (a network's masquerade rule). Until the
     * kernel refuses it, a reader in another process sees the table's use count lowered for each
     * chain and set it deletes, which is why a reader never judges the table by that count alone
     * ({@link NftState#read}).
     *
     * @return true if the table went, false if the kernel kept it, null if a fixed rule was not at its handle
     */
    private Boolean removeLayout() {
        MessageWriter w = new MessageWriter(1024).nestedFlag(true);
        NftMessages.batchBegin(w, null);
        long handle = NftLayout.FIRST_RULE_HANDLE - NftLayout.FIXED_RULES.size();
        for (NftRuleText r : NftLayout.FIXED_RULES) {
            NftMessages.delRule(w, NftLayout.TABLE, r.chain(), handle++, 0);
        }
        deleteSetsChainsAndTable(w);
        NftMessages.batchEnd(w);
        List<NetlinkReply> replies = socket.transact(w);
        for (int i = 0; i < replies.size(); i++) {
            NetlinkReply r = replies.get(i);
            if (r.isSuccess()) {
                continue;
            }
            int errno = r.errno().get().number();
            if (errno == Errno.ENOENT.number() && i <= NftLayout.FIXED_RULES.size()) {
                return null; // a fixed rule is elsewhere (deleted and added again by hand), or the table is gone
            }
            if (errno != Errno.EBUSY.number()) {
                LOG.warn("could not remove the emptied table ip {}: {}", NftLayout.TABLE, r.exception(NftLayout.deleteCommand()).getMessage());
            }
            return false;
        }
        return true;
    }

    /** The sets, chains (jump targets last) and table, each refused with EBUSY while anything is in it. */
    private static void deleteSetsChainsAndTable(MessageWriter w) {
        for (NftSets s : NftSets.ALL) {
            NftSetMessages.delSet(w, s, NLM_F_NONREC); // EBUSY while it holds an element
        }
        List<NftChain> chains = new ArrayList<>(NftLayout.CHAINS);
        java.util.Collections.reverse(chains);
        for (NftChain c : chains) {
            NftMessages.delChain(w, NftLayout.TABLE, c, NLM_F_NONREC);
        }
        NftMessages.delTable(w, "ip", NftLayout.TABLE, NLM_F_NONREC);
    }

    /**
     * Removes the table if its rules are the layout's fixed rules alone, read from the kernel, and the
     * kernel finds the rest empty; true if it did. A table with any keyed rule is not tried; one that
     * another process changed meanwhile is read again.
     */
    private boolean removeIfOnlyFixedRules() {
        for (int attempt = 1; attempt <= GENERATION_RETRIES; attempt++) {
            int gen = generation();
            List<NftDecoder.RuleRef> rules;
            try {
                rules = NftTableReader.dumpRuleRefs(socket, null);
            } catch (NotFoundException e) {
                return false; // already gone: another process removed it
            }
            if (!onlyFixedRules(rules)) {
                return false; // a masquerade or SNAT rule, or another tool's rule, is still there
            }
            MessageWriter w = new MessageWriter(1024).nestedFlag(true);
            NftMessages.batchBegin(w, gen);
            for (NftDecoder.RuleRef r : rules) {
                NftMessages.delRule(w, NftLayout.TABLE, chain(r.chain()), r.handle(), 0);
            }
            deleteSetsChainsAndTable(w);
            NftMessages.batchEnd(w);
            List<NetlinkReply> replies = socket.transact(w);
            if (restarted(replies)) {
                retried();
                backOff(attempt);
                continue;
            }
            NetlinkReply failed = replies.stream().filter(r -> !r.isSuccess()).findFirst().orElse(null);
            if (failed == null) {
                return true;
            }
            int errno = failed.errno().get().number();
            if (errno != Errno.EBUSY.number() && errno != Errno.ENOENT.number()) {
                LOG.warn("could not remove the emptied table ip {}: {}", NftLayout.TABLE, failed.exception(NftLayout.deleteCommand()).getMessage());
            }
            return false;
        }
        return false;
    }

    /**
     * True if the table's rules are the layout's fixed rules and nothing else: no keyed rule (anyone's
     * masquerade or SNAT) and no more unkeyed rules than the layout has. A rule another tool added to
     * one of netlib's chains ({@code nft add rule ip netlib forward ...}) keeps the table: removing it
     * would delete a rule netlib did not create. The fixed rules carry no key and are counted, not
     * matched by their expressions; within netlib only the layout adds rules without a key.
     */
    private static boolean onlyFixedRules(List<NftDecoder.RuleRef> rules) {
        int unkeyed = 0;
        for (NftDecoder.RuleRef r : rules) {
            if (r.comment() != null) {
                return false;
            }
            unkeyed++;
        }
        return unkeyed <= NftLayout.FIXED_RULES.size();
    }

    private static NftChain chain(String name) {
        return NftLayout.CHAINS.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElse(NftChain.regular("ip", name));
    }

    /** The current ruleset generation (NFT_MSG_GETGEN). */
    public synchronized int generation() {
        return NftState.generation(socket);
    }

    /** The chains of table {@code ip netlib}. Equivalent to: {@code nft list chains ip} (netlib's table only). */
    public synchronized List<String> dumpChains() {
        return NftTableReader.dumpChains(socket);
    }

    /** Closes the socket and the lock file; the kernel's rules stay. */
    @Override
    public synchronized void close() {
        try {
            lock.close(); // may time out (LockTimeoutException) while a thread of this JVM holds the lock
        } finally {
            socket.close();
        }
    }
}
