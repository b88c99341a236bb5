package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_MSG_NEWCHAIN;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_MSG_NEWRULE;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_MSG_NEWSETELEM;

import dev.netlib.error.DumpInterruptedException;
import dev.netlib.error.Errno;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkReply;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.RuleKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads table {@code ip netlib} back from the kernel, as any process can: every element and keyed
 * rule carries its rule's key as comment ({@link RuleKeys}), so the rules are the distinct comments.
 * A comment that is not a netlib key is logged and skipped, never deleted.
 */
final class NftTableReader {
    private static final Logger LOG = LoggerFactory.getLogger(NftTableReader.class);
    /** Reads of a set in several parts before giving up on two that agree (each resize is over in milliseconds). */
    private static final int ELEMENT_READS = 5;

    private NftTableReader() {}

    /** Keyed rules in handle order, then the element rules by key; empty when the table does not exist. */
    static List<FirewallRule> rules(NetlinkSocket socket) {
        MessageWriter w = new MessageWriter(64).nestedFlag(true);
        NftMessages.getTable(w, "ip", NftLayout.TABLE, NLM_F_ACK);
        NetlinkReply table = socket.transact(w).get(0);
        if (!table.isSuccess()) {
            if (table.errno().get().number() == Errno.ENOENT.number()) {
                return List.of();
            }
            throw table.exception("nft list table ip " + NftLayout.TABLE);
        }
        Set<String> keyed = new LinkedHashSet<>();
        for (NftDecoder.RuleRef m : dumpRuleRefs(socket, NftLayout.POSTROUTING.name())) {
            if (m.comment() != null) {
                keyed.add(m.comment());
            }
        }
        Set<String> elements = new TreeSet<>();
        for (NftSets s : NftSets.ALL) {
            try {
                elements.addAll(elementComments(socket, s));
            } catch (NotFoundException e) {
                LOG.debug("table ip {} has no set {} (not netlib's layout)", NftLayout.TABLE, s.set().name());
            }
        }
        List<FirewallRule> out = new ArrayList<>();
        keyed.forEach(k -> parse(k, out));
        elements.stream().filter(k -> !keyed.contains(k)).forEach(k -> parse(k, out));
        return List.copyOf(out);
    }

    /**
     * The comments of the elements of set {@code s}, read consistently. The kernel sends a set's
     * elements in parts of up to ~32 KiB, one NFT_MSG_NEWSETELEM each, and starts each part by
     * walking the set from its beginning past the elements already sent (nf_tables_dump_set, by
     * count). A hash set that the kernel resizes between two parts (its rhashtable grows or shrinks
     * in a background worker after many adds or deletes) is walked in another order then, and the
     * answer misses elements or holds some twice, with no NLM_F_DUMP_INTR to say so: right after
     * 1,001 mappings were added, 12 of 400 rounds of three reads had one that gave 790-811. So a
     * dump in several parts is read again until two agree; one in a single part is one walk.
     */
    private static Set<String> elementComments(NetlinkSocket socket, NftSets s) {
        String operation = "nft list set ip " + NftLayout.TABLE + " " + s.set().name();
        Set<String> previous = null;
        for (int attempt = 0; attempt < ELEMENT_READS; attempt++) {
            List<List<String>> parts = socket.dump(NftSetMessages.dumpElements(s), operation,
                    m -> (m.type() & 0xff) == NFT_MSG_NEWSETELEM ? NftDecoder.elementComments(m) : null);
            Set<String> comments = new TreeSet<>();
            for (List<String> part : parts) {
                part.stream().filter(c -> c != null).forEach(comments::add);
            }
            if (parts.size() <= 1 || comments.equals(previous)) {
                return comments;
            }
            previous = comments;
        }
        throw new DumpInterruptedException(operation, ELEMENT_READS);
    }

    private static void parse(String key, List<FirewallRule> out) {
        try {
            FirewallRule r = RuleKeys.parse(key);
            if (!out.contains(r)) {
                out.add(r);
            }
        } catch (RuntimeException e) {
            LOG.warn("table ip {} holds an object with comment '{}' that is not a netlib rule key; left alone", NftLayout.TABLE, key);
        }
    }

    /**
     * Chain, handle and key of the rules of the table (of one chain when {@code chain} is given),
     * expressions not decoded ({@link NftDecoder.RuleRef}). Equivalent to: {@code nft -a list table ip netlib}.
     */
    static List<NftDecoder.RuleRef> dumpRuleRefs(NetlinkSocket socket, String chain) {
        return socket.dump(NftMessages.getRules("ip", NftLayout.TABLE, chain), "nft -a list table ip " + NftLayout.TABLE, m ->
                (m.type() & 0xff) == NFT_MSG_NEWRULE ? NftDecoder.ruleRef(m) : null).stream()
                .filter(r -> NftLayout.TABLE.equals(r.table())).toList();
    }

    /** The chains of table {@code ip netlib}. */
    static List<String> dumpChains(NetlinkSocket socket) {
        return socket.dump(NftMessages.getChains("ip"), "nft list chains ip", m ->
                        (m.type() & 0xff) == NFT_MSG_NEWCHAIN ? NftDecoder.chain(m) : null).stream()
                .filter(c -> NftLayout.TABLE.equals(c.table())).map(NftDecoder.ChainMessage::name).toList();
    }
}
