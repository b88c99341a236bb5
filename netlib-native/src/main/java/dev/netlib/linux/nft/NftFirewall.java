package dev.netlib.linux.nft;

import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_APPEND;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_ECHO;
import static dev.netlib.linux.nft.NftConstants.NFT_MSG_DELRULE;
import static dev.netlib.linux.nft.NftConstants.NFT_MSG_NEWGEN;
import static dev.netlib.linux.nft.NftConstants.NFT_MSG_NEWRULE;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.linux.netlink.MessageWriter;
import dev.netlib.linux.netlink.NetlinkConstants;
import dev.netlib.linux.netlink.NetlinkMessage;
import dev.netlib.linux.netlink.NetlinkReply;
import dev.netlib.linux.netlink.NetlinkSocket;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallPlan;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.NftChain;
import dev.netlib.spi.nft.NftLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * netlib's nftables table in one namespace, driven over a NETLINK_NETFILTER socket opened there.
 *
 * <p>Each {@link #apply} is one nf_tables transaction: NFNL_MSG_BATCH_BEGIN (with the generation
 * id read just before, so a ruleset changed concurrently makes the kernel refuse the whole batch
 * with ERESTART instead of applying it on a stale view; netlib then re-reads the generation and
 * retries), table/chain creation, rule deletions by handle, rule additions with NLM_F_ECHO (the
 * echo carries the handle the kernel gave), emptied chains and table deleted, BATCH_END; all in
 * one send. Any failing message aborts the transaction, so nothing changes; the error names the
 * nft command of the failing message and carries the kernel's extended-ack text.
 *
 * <p>No message carries NLM_F_ACK: the kernel processes a batch synchronously within the send and
 * always reports errors, and the echoes confirm every rule added or deleted. (With acks, a batch
 * refused for its generation id would leave a reader waiting for acks that never come.)
 */
public final class NftFirewall implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NftFirewall.class);
    /** How often a batch refused for a changed generation is retried. */
    static final int GENERATION_RETRIES = 5;

    private final NetlinkSocket socket;
    private final boolean ownsSocket;
    private final Map<FirewallRule, List<NftRule>> installed = new LinkedHashMap<>();
    /** For tests: the generation id used for the next batch instead of the current one. */
    private Integer forcedGeneration;
    /** How many sends the last apply needed (2+ when a generation change forced a retry). */
    private int lastAttempts;

    /** Uses {@code socket} (NETLINK_NETFILTER, opened in the namespace to manage); the caller keeps it. */
    public NftFirewall(NetlinkSocket socket) {
        this(socket, false);
    }

    private NftFirewall(NetlinkSocket socket, boolean owns) {
        if (socket.protocol() != NetlinkConstants.NETLINK_NETFILTER) {
            throw new IllegalArgumentException("nf_tables needs a NETLINK_NETFILTER socket, got protocol " + socket.protocol());
        }
        this.socket = socket;
        this.ownsSocket = owns;
    }

    /** Opens a NETLINK_NETFILTER socket in the calling thread's network namespace and owns it. */
    public static NftFirewall open() {
        return new NftFirewall(NetlinkSocket.open(NetlinkConstants.NETLINK_NETFILTER), true);
    }

    /** The rules of netlib's table, in the order they were added (read back from the kernel on first use). */
    public synchronized List<FirewallRule> rules() {
        adoptOnce();
        return List.copyOf(installed.keySet());
    }

    private boolean adopted;

    /**
     * On first use, reads table {@code ip netlib} back: every kernel rule carries its rule's key as
     * comment ({@link dev.netlib.spi.nft.RuleKeys}), so rules made by an earlier netlib (another run,
     * another process) are recognised with their handles and managed as if made here. A table that
     * does not read back cleanly (rules without a netlib key, or not the expressions the key
     * compiles to) is left alone here and replaced by the first batch.
     */
    private void adoptOnce() {
        if (adopted) {
            return;
        }
        adopted = true;
        List<NftDecoder.RuleMessage> dump;
        try {
            dump = dumpRules();
        } catch (RuntimeException e) {
            LOG.warn("cannot read table ip {} back ({}); it will be replaced by the first change", NftLayout.TABLE, e.getMessage());
            return;
        }
        Map<String, List<NftDecoder.RuleMessage>> byKey = new LinkedHashMap<>();
        for (NftDecoder.RuleMessage m : dump) {
            if (m.comment() == null && (m.chain().equals(NftLayout.PREROUTING.name()) || m.chain().equals(NftLayout.OUTPUT.name()))) {
                continue; // an entry jump: it belongs to its chain
            }
            if (m.comment() == null || !m.comment().startsWith(dev.netlib.spi.nft.RuleKeys.PREFIX)) {
                LOG.warn("table ip {} holds a rule netlib did not write (handle {} in {}); it will be replaced by the first change",
                        NftLayout.TABLE, m.handle(), m.chain());
                return;
            }
            byKey.computeIfAbsent(m.comment(), k -> new ArrayList<>()).add(m);
        }
        Map<FirewallRule, List<NftRule>> found = new LinkedHashMap<>();
        for (Map.Entry<String, List<NftDecoder.RuleMessage>> e : byKey.entrySet()) {
            FirewallRule rule;
            try {
                rule = dev.netlib.spi.nft.RuleKeys.parse(e.getKey());
            } catch (RuntimeException ex) {
                LOG.warn("unreadable netlib rule key '{}' in table ip {}; it will be replaced by the first change", e.getKey(), NftLayout.TABLE);
                return;
            }
            List<NftRule> expected = RuleCompiler.compile(rule);
            List<NftDecoder.RuleMessage> got = new ArrayList<>(e.getValue());
            List<NftRule> withHandles = new ArrayList<>();
            for (NftRule x : expected) {
                NftDecoder.RuleMessage match = got.stream()
                        .filter(m -> m.chain().equals(x.chain().name()) && asDumped(m.expressions()).equals(asDumped(x.expressions())))
                        .findFirst().orElse(null);
                if (match == null) {
                    LOG.warn("netlib rule '{}' in table ip {} is not what it should be; the table will be replaced by the first change",
                            e.getKey(), NftLayout.TABLE);
                    LOG.debug("expected in {}: {}; found: {}", x.chain().name(), x.expressions(), got);
                    return;
                }
                got.remove(match);
                withHandles.add(x.withHandle(match.handle()));
            }
            if (!got.isEmpty()) {
                LOG.warn("netlib rule '{}' has extra kernel rules; the table will be replaced by the first change", e.getKey());
                return;
            }
            found.put(rule, withHandles);
        }
        if (!found.isEmpty()) {
            LOG.info("read {} netlib rule(s) back from table ip {}", found.size(), NftLayout.TABLE);
        }
        // handles grow with every rule the kernel adds: the smallest one gives the order they were added in
        found.entrySet().stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.getValue().stream().mapToLong(NftRule::handle).min().orElse(0)))
                .forEach(e -> installed.put(e.getKey(), e.getValue()));
    }

    /** The kernel rules of an installed rule, with their handles. */
    public synchronized List<NftRule> kernelRules(FirewallRule rule) {
        return installed.getOrDefault(rule, List.of());
    }

    /** Applies the changes in one atomic transaction. Equivalent to: {@code nft -f FILE} with the commands of {@link FirewallPlan#commands()}. */
    public synchronized void apply(List<FirewallChange> changes) {
        adoptOnce();
        FirewallPlan plan = FirewallPlan.of(rules(), changes); // EEXIST/ENOENT before anything is sent
        if (changes.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            lastAttempts = attempt;
            int gen = forcedGeneration != null ? forcedGeneration : generation();
            forcedGeneration = null;
            // A table netlib could not read back (see adoptOnce) is replaced in the same batch, as
            // dockerd rebuilds its chains when it starts. Read after the generation, so a change
            // in between makes the kernel refuse the batch.
            boolean stale = installed.isEmpty() && !plan.tablesToAdd().isEmpty() && !dumpChains().isEmpty();
            if (stale) {
                LOG.warn("replacing table ip {}: it exists but could not be read back as netlib's rules", NftLayout.TABLE);
            }
            Batch batch = build(plan, gen, stale);
            long t0 = System.nanoTime();
            List<NetlinkReply> replies = socket.transact(batch.writer);
            if (LOG.isDebugEnabled()) {
                LOG.debug("nf_tables batch of {} messages ({} bytes) answered in {} us", batch.writer.messageCount(), batch.writer.size(),
                        (System.nanoTime() - t0) / 1000);
            }
            NetlinkReply begin = replies.get(0);
            if (!begin.isSuccess() && begin.errno().get().number() == NftConstants.ERESTART && attempt < GENERATION_RETRIES) {
                LOG.debug("nf_tables generation {} changed before the batch ran; retrying ({})", gen, attempt);
                continue;
            }
            KernelException failure = null;
            for (int i = 0; i < replies.size(); i++) {
                NetlinkReply r = replies.get(i);
                if (!r.isSuccess()) {
                    String op = batch.operations.get(i);
                    if (i == 0 && r.errno().get().number() == NftConstants.ERESTART) {
                        failure = KernelException.of(Errno.EBUSY, "nft batch (generation " + gen + ")",
                                "the ruleset kept changing while netlib applied its batch (" + GENERATION_RETRIES + " tries)");
                    } else {
                        failure = r.exception(op);
                    }
                    failure.inBatch(i, List.of());
                    break; // the first error is the cause; later ones are usually consequences
                }
            }
            if (failure != null) {
                throw failure;
            }
            commit(plan, batch, replies);
            return;
        }
    }

    synchronized int lastAttempts() {
        return lastAttempts;
    }

    /** For tests: make the next batch carry this (stale) generation id. */
    synchronized void forceGenerationOnce(int gen) {
        this.forcedGeneration = gen;
    }

    private record Batch(MessageWriter writer, List<String> operations, Map<Integer, NftRule> added, Map<Integer, FirewallRule> deleted,
                         Map<FirewallRule, Integer> kernelRuleCount) {}

    private Batch build(FirewallPlan plan, int gen, boolean replaceStale) {
        MessageWriter w = new MessageWriter(1024 + 512 * plan.changes().size()).nestedFlag(true); // ~400 bytes a rule
        Map<FirewallRule, Integer> counts = new java.util.HashMap<>();
        List<String> ops = new ArrayList<>();
        Map<Integer, NftRule> added = new LinkedHashMap<>();
        Map<Integer, FirewallRule> deleted = new LinkedHashMap<>();
        NftMessages.batchBegin(w, gen);
        ops.add("nft batch begin (generation " + gen + ")");
        if (replaceStale) {
            NftMessages.delTable(w, "ip", NftLayout.TABLE, 0);
            ops.add("nft delete table ip " + NftLayout.TABLE + " # left by an earlier netlib");
        }
        for (String fam : plan.tablesToAdd()) {
            NftMessages.newTable(w, fam, NftLayout.TABLE, 0);
            ops.add("nft add table " + fam + " " + NftLayout.TABLE);
        }
        for (NftChain c : plan.chainsToAdd()) {
            NftMessages.newChain(w, NftLayout.TABLE, c, NLM_F_CREATE);
            ops.add(c.addCommand());
            RuleCompiler.entry(c).ifPresent(r -> { // deleted with its chain: no handle needed
                NftMessages.newRule(w, NftLayout.TABLE, r, NLM_F_CREATE | NLM_F_APPEND);
                ops.add("nft add rule " + r.chain().family() + " " + NftLayout.TABLE + " " + r.chain().name() + " " + r.text());
            });
        }
        for (FirewallChange ch : plan.changes()) {
            if (ch.kind() == FirewallChange.Kind.DELETE) {
                for (NftRule r : installed.get(ch.rule())) {
                    int i = NftMessages.delRule(w, NftLayout.TABLE, r.chain(), r.handle(), NLM_F_ECHO);
                    ops.add("nft delete rule " + r.chain().family() + " " + NftLayout.TABLE + " " + r.chain().name()
                            + " handle " + r.handle() + " # " + r.text());
                    deleted.put(i, ch.rule());
                }
            } else {
                List<NftRule> compiled = RuleCompiler.compile(ch.rule());
                counts.put(ch.rule(), compiled.size());
                for (NftRule r : compiled) {
                    int i = NftMessages.newRule(w, NftLayout.TABLE, r, NLM_F_CREATE | NLM_F_APPEND | NLM_F_ECHO);
                    ops.add("nft add rule " + r.chain().family() + " " + NftLayout.TABLE + " " + r.chain().name() + " " + r.text());
                    added.put(i, r);
                }
            }
        }
        for (NftChain c : plan.chainsToDelete()) {
            if (!plan.tablesToDelete().contains(c.family())) {
                NftMessages.delChain(w, NftLayout.TABLE, c, 0);
                ops.add(c.deleteCommand());
            }
        }
        for (String fam : plan.tablesToDelete()) {
            NftMessages.delTable(w, fam, NftLayout.TABLE, 0);
            ops.add("nft delete table " + fam + " " + NftLayout.TABLE);
        }
        NftMessages.batchEnd(w);
        ops.add("nft batch end");
        return new Batch(w, ops, added, deleted, counts);
    }

    private void commit(FirewallPlan plan, Batch batch, List<NetlinkReply> replies) {
        Map<FirewallRule, List<NftRule>> next = new LinkedHashMap<>(installed);
        for (FirewallChange ch : plan.changes()) {
            if (ch.kind() == FirewallChange.Kind.DELETE) {
                next.remove(ch.rule());
            }
        }
        // handles from the echoes, in message order (= the order of each rule's kernel rules)
        List<NftRule> withHandles = new ArrayList<>();
        boolean missing = false;
        for (Map.Entry<Integer, NftRule> e : batch.added.entrySet()) {
            long handle = 0;
            for (NetlinkMessage m : replies.get(e.getKey()).messages()) {
                if ((m.type() & 0xff) == NFT_MSG_NEWRULE) {
                    handle = NftDecoder.ruleHandle(m);
                }
            }
            missing |= handle == 0;
            withHandles.add(e.getValue().withHandle(handle));
        }
        for (Map.Entry<Integer, FirewallRule> e : batch.deleted.entrySet()) {
            boolean echoed = replies.get(e.getKey()).messages().stream().anyMatch(m -> (m.type() & 0xff) == NFT_MSG_DELRULE);
            missing |= !echoed;
        }
        if (missing) {
            // The batch raised no error, so it was committed; a missing echo would only mean the
            // notification was dropped (receive buffer). Learn the handles from a dump instead.
            LOG.warn("nf_tables echo missing for part of the batch; reading handles back from a dump");
            withHandles = handlesFromDump(withHandles);
        }
        int k = 0;
        for (FirewallChange ch : plan.changes()) {
            if (ch.kind() == FirewallChange.Kind.ADD) {
                int n = batch.kernelRuleCount().get(ch.rule());
                next.put(ch.rule(), List.copyOf(withHandles.subList(k, k + n)));
                k += n;
            }
        }
        installed.clear();
        installed.putAll(next);
    }

    private List<NftRule> handlesFromDump(List<NftRule> rules) {
        List<NftDecoder.RuleMessage> dump = dumpRules();
        java.util.Set<Long> known = new java.util.HashSet<>();
        installed.values().forEach(l -> l.forEach(r -> known.add(r.handle())));
        List<NftRule> out = new ArrayList<>();
        for (NftRule r : rules) {
            long h = 0;
            for (NftDecoder.RuleMessage m : dump) {
                if (!known.contains(m.handle()) && m.chain().equals(r.chain().name()) && asDumped(m.expressions()).equals(asDumped(r.expressions()))) {
                    h = m.handle();
                    known.add(h);
                    break;
                }
            }
            out.add(r.withHandle(h));
        }
        return out;
    }

    /**
     * Expressions as the kernel dumps them: nft_nat completes what nft leaves implicit, adding
     * NF_NAT_RANGE_MAP_IPS to the flags when an address register is given and reporting a missing
     * max register as the min one, so a dump says {@code addr_min reg 1 addr_max reg 1 flags 0x3}
     * where nft sent {@code addr_min reg 1 flags 0x2}.
     */
    static List<dev.netlib.linux.nft.expr.Expr> asDumped(List<dev.netlib.linux.nft.expr.Expr> exprs) {
        return exprs.stream().map(e -> e instanceof dev.netlib.linux.nft.expr.NatExpr n ? new dev.netlib.linux.nft.expr.NatExpr(
                n.type(), n.family(), n.regAddrMin(), n.regAddrMax() != 0 ? n.regAddrMax() : n.regAddrMin(),
                n.regProtoMin(), n.regProtoMax() != 0 ? n.regProtoMax() : n.regProtoMin(),
                n.flags() | (n.regAddrMin() != 0 ? NftConstants.NF_NAT_RANGE_MAP_IPS : 0)) : e).toList();
    }

    /** The current ruleset generation (NFT_MSG_GETGEN). */
    public synchronized int generation() {
        MessageWriter w = new MessageWriter(64).nestedFlag(true);
        NftMessages.getGen(w, NLM_F_ACK);
        for (NetlinkMessage m : socket.request(w, "nft list ruleset (generation)").get(0).messages()) {
            if ((m.type() & 0xff) == NFT_MSG_NEWGEN) {
                return NftDecoder.generation(m);
            }
        }
        throw KernelException.of(Errno.EIO, "nft list ruleset (generation)", "no NFT_MSG_NEWGEN in the answer");
    }

    /** Every rule of table {@code ip netlib} as the kernel has it. Equivalent to: {@code nft -a list table ip netlib}. */
    public synchronized List<NftDecoder.RuleMessage> dumpRules() {
        return socket.dump(NftMessages.getRules("ip", NftLayout.TABLE), "nft -a list table ip " + NftLayout.TABLE, m ->
                (m.type() & 0xff) == NFT_MSG_NEWRULE ? NftDecoder.rule(m) : null).stream()
                .filter(r -> NftLayout.TABLE.equals(r.table())).toList();
    }

    /** The chains of table {@code ip netlib}. Equivalent to: {@code nft list chains ip} (netlib's table only). */
    public synchronized List<String> dumpChains() {
        return socket.dump(NftMessages.getChains("ip"), "nft list chains ip", m ->
                        (m.type() & 0xff) == NftConstants.NFT_MSG_NEWCHAIN ? NftDecoder.chain(m) : null).stream()
                .filter(c -> NftLayout.TABLE.equals(c.table())).map(NftDecoder.ChainMessage::name).toList();
    }

    @Override
    public synchronized void close() {
        if (ownsSocket) {
            socket.close();
        }
    }
}
