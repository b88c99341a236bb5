package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_MSG_NEWGEN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_MSG_NEWSETELEM;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_MSG_NEWTABLE;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.netlink.NetlinkReply;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.FirewallState;
import dev.netlib.spi.nft.NftChain;
import dev.netlib.spi.nft.NftElement;
import dev.netlib.spi.nft.NftLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one change needs to know of the kernel's table, read just before it is planned: the
 * generation (the batch's guard), whether the table exists, the comment of every element the
 * change names, and the handles of the keyed rules when it adds or removes masquerade or SNAT.
 * Generation, table and elements come in one send (one request each, answered in order); nothing
 * else is read, so the cost does not grow with the table.
 */
final class NftState implements FirewallState {
    private final int generation;
    private final boolean exists;
    private final Map<NftElement.Id, String> comments;
    private final Map<String, List<Long>> handles;

    /** Chains and sets of the layout: what NFTA_TABLE_USE counts in a table netlib made (rules are counted by their chains). */
    static final int LAYOUT_OBJECTS = NftLayout.CHAINS.size() + NftLayout.SETS.size();

    private final boolean foreign;

    private NftState(int generation, boolean exists, boolean foreign, Map<NftElement.Id, String> comments, Map<String, List<Long>> handles) {
        this.generation = generation;
        this.exists = exists && !foreign;
        this.foreign = foreign;
        this.comments = comments;
        this.handles = handles;
    }

    static NftState read(NetlinkSocket socket, List<FirewallChange> changes) {
        List<NftElement> elements = new ArrayList<>();
        Map<NftElement.Id, Boolean> seen = new HashMap<>();
        boolean keyed = false;
        for (FirewallChange c : changes) {
            keyed |= !c.rule().expand().isEmpty();
            for (NftElement e : c.rule().elements()) {
                if (seen.putIfAbsent(e.id(), true) == null) {
                    elements.add(e);
                }
            }
        }
        MessageWriter w = new MessageWriter(128 + 96 * elements.size()).nestedFlag(true);
        NftMessages.getGen(w, NLM_F_ACK);
        NftMessages.getTable(w, "ip", NftLayout.TABLE, NLM_F_ACK);
        for (NftElement e : elements) {
            NftSetMessages.getElement(w, e, NLM_F_ACK);
        }
        List<NetlinkReply> replies = socket.transact(w);
        int gen = generation(replies.get(0), "nft list ruleset (generation)");
        NetlinkReply table = replies.get(1);
        boolean exists = table.isSuccess();
        if (!exists && table.errno().get().number() != Errno.ENOENT.number()) {
            throw table.exception("nft list table ip " + NftLayout.TABLE);
        }
        boolean unusual = false;
        for (NetlinkMessage m : exists ? table.messages() : List.<NetlinkMessage>of()) {
            unusual |= (m.type() & 0xff) == NFT_MSG_NEWTABLE && NftDecoder.tableUse(m) != LAYOUT_OBJECTS;
        }
        // The table's use count is read live, and a transaction under way in another process has
        // already lowered it for every chain and set it deletes (nft_delchain, nft_delset: before
        // it commits or aborts; netlib's own emptied-table check is such a transaction, refused
        // and aborted whenever anything is left). Another tool's chain or set raises it. So an
        // unusual count only says: look at the objects themselves, which a reader sees as
        // committed (each is looked up in the current generation).
        boolean foreign = unusual && !layoutPresent(socket);
        Map<NftElement.Id, String> comments = new HashMap<>();
        for (int i = 0; exists && i < elements.size(); i++) {
            NetlinkReply r = replies.get(2 + i);
            if (r.isSuccess()) {
                for (NetlinkMessage m : r.messages()) {
                    if ((m.type() & 0xff) == NFT_MSG_NEWSETELEM) {
                        List<String> c = NftDecoder.elementComments(m);
                        comments.put(elements.get(i).id(), c.isEmpty() || c.get(0) == null ? "" : c.get(0));
                    }
                }
            } else if (r.errno().get().number() != Errno.ENOENT.number()) {
                throw elementReadFailure(r, elements.get(i));
            }
        }
        Map<String, List<Long>> handles = new LinkedHashMap<>();
        if (exists && keyed) {
            for (NftDecoder.RuleRef m : NftTableReader.dumpRuleRefs(socket, NftLayout.POSTROUTING.name())) {
                if (m.comment() != null) {
                    handles.computeIfAbsent(m.comment(), k -> new ArrayList<>()).add(m.handle());
                }
            }
        }
        return new NftState(gen, exists, foreign, comments, handles);
    }

    /**
     * True if every chain and set of the layout is in table {@code ip netlib} (one send, one
     * request each); false when one is missing (a table made by hand or by a netlib from before
     * the layout of sets and maps).
     */
    private static boolean layoutPresent(NetlinkSocket socket) {
        MessageWriter w = new MessageWriter(64 * (NftLayout.CHAINS.size() + NftSets.ALL.size())).nestedFlag(true);
        for (NftChain c : NftLayout.CHAINS) {
            NftMessages.getChain(w, NftLayout.TABLE, c, NLM_F_ACK);
        }
        for (NftSets set : NftSets.ALL) {
            NftSetMessages.getSet(w, set, NLM_F_ACK);
        }
        boolean all = true;
        for (NetlinkReply r : socket.transact(w)) {
            if (!r.isSuccess()) {
                if (r.errno().get().number() != Errno.ENOENT.number()) {
                    throw r.exception("nft list table ip " + NftLayout.TABLE + " (its chains and sets)");
                }
                all = false;
            }
        }
        return all;
    }

    /**
     * The error of a failed element read. EINVAL means the key does not fit the set (nf_tables
     * checks a key's length against the set's, nft_setelem_parse_key): the set was made by an
     * earlier netlib with another layout (its hairpin set held one element per published port), and
     * nothing of this change can go in it. Said so, with what to do, instead of a bare EINVAL.
     */
    private static KernelException elementReadFailure(NetlinkReply r, NftElement e) {
        String operation = e.deleteCommand().replace("nft delete element", "nft get element");
        KernelException k = r.exception(operation);
        if (k.errno().number() != Errno.EINVAL.number()) {
            return k;
        }
        KernelException layout = KernelException.of(Errno.EINVAL, operation, "set " + e.set().name() + " of table ip " + NftLayout.TABLE
                + " has another key type than this netlib's (" + e.set().keyType() + "): the table was made by an earlier netlib; delete it"
                + " (nft delete table ip " + NftLayout.TABLE + ") once no process of that netlib uses it, and netlib makes it again");
        layout.initCause(k);
        return layout;
    }

    /** The current ruleset generation (NFT_MSG_GETGEN). */
    static int generation(NetlinkSocket socket) {
        MessageWriter w = new MessageWriter(64).nestedFlag(true);
        NftMessages.getGen(w, NLM_F_ACK);
        return generation(socket.request(w, "nft list ruleset (generation)").get(0), "nft list ruleset (generation)");
    }

    private static int generation(NetlinkReply r, String op) {
        if (!r.isSuccess()) {
            throw r.exception(op);
        }
        for (NetlinkMessage m : r.messages()) {
            if ((m.type() & 0xff) == NFT_MSG_NEWGEN) {
                return NftDecoder.generation(m);
            }
        }
        throw KernelException.of(Errno.EIO, op, "no NFT_MSG_NEWGEN in the answer");
    }

    int generation() {
        return generation;
    }

    /**
     * True when a table {@code ip netlib} exists without netlib's layout (a chain or set of it is
     * missing: made by hand, or by a netlib before the layout of sets and maps): it cannot hold
     * netlib's elements, so the batch that first adds to it replaces it (and {@link #tableExists()}
     * says false). Extra chains or sets another tool added do not make it foreign.
     */
    boolean foreign() {
        return foreign;
    }

    @Override
    public boolean tableExists() {
        return exists;
    }

    @Override
    public List<Long> handles(FirewallRule rule) {
        List<Long> h = handles.get(dev.netlib.spi.nft.RuleKeys.key(rule));
        return h == null ? List.of() : h;
    }

    @Override
    public String elementComment(NftElement element) {
        return comments.get(element.id());
    }
}
